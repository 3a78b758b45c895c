/*
 * epoll_echo: the reference TCP echo server of bench/ratios.sh, the simplest correct design that keeps one core
 * busy: one thread, non-blocking sockets, level-triggered epoll. A connection reads into its own buffer, then sends
 * all of it back before it reads again; while its echo waits for room in the socket, it watches for EPOLLOUT
 * instead of EPOLLIN, so a client that does not read is not read either (backpressure, bounded memory).
 *
 * usage: epoll_echo PORT    listens on 127.0.0.1:PORT until SIGTERM or SIGINT ends the process
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

enum { BUFFER_SIZE = 65536, MAX_EVENTS = 256 };

struct connection {
    int fd;
    size_t owed; /* bytes in buf still to echo */
    size_t sent; /* of those, already sent */
    char buf[BUFFER_SIZE];
};

static int epoll_fd;

static int listen_on(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0
        || bind(fd, (struct sockaddr *)&address, sizeof address) < 0 || listen(fd, 4096) < 0) {
        perror("epoll_echo: listen");
        exit(1);
    }
    return fd;
}

static void watch(struct connection *c, int operation, unsigned events)
{
    struct epoll_event event = { .events = events, .data.ptr = c };
    epoll_ctl(epoll_fd, operation, c->fd, &event);
}

static void drop(struct connection *c)
{
    close(c->fd); /* closing also removes it from the epoll set */
    free(c);
}

static void accept_all(int listener)
{
    int fd, one = 1;
    while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
        struct connection *c = malloc(sizeof *c);
        if (c == NULL) {
            close(fd);
            continue;
        }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->fd = fd;
        c->owed = c->sent = 0;
        watch(c, EPOLL_CTL_ADD, EPOLLIN);
    }
}

/* Sends what is owed; returns 0 when the connection failed and was dropped. */
static int send_owed(struct connection *c)
{
    while (c->sent < c->owed) {
        ssize_t n = send(c->fd, c->buf + c->sent, c->owed - c->sent, MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            watch(c, EPOLL_CTL_MOD, EPOLLOUT);
            return 1;
        }
        if (n < 0) {
            drop(c);
            return 0;
        }
        c->sent += (size_t)n;
    }
    c->owed = c->sent = 0;
    return 1;
}

static void serve(struct connection *c, unsigned events)
{
    if (c->owed > 0) {
        /* Writable again: finish the echo, then read once more. */
        if (send_owed(c) && c->owed == 0)
            watch(c, EPOLL_CTL_MOD, EPOLLIN);
        return;
    }
    ssize_t n = recv(c->fd, c->buf, BUFFER_SIZE, 0);
    if (n > 0) {
        c->owed = (size_t)n;
        send_owed(c);
    } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK) || (events & (EPOLLERR | EPOLLHUP))) {
        /* The client closed (everything it sent is echoed by now) or failed. */
        drop(c);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2 || atoi(argv[1]) <= 0 || atoi(argv[1]) > 65535) {
        fprintf(stderr, "usage: epoll_echo PORT\n");
        return 2;
    }
    int listener = listen_on(atoi(argv[1]));
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event event = { .events = EPOLLIN, .data.ptr = NULL };
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &event);
    printf("Listening on 127.0.0.1:%s (epoll)\n", argv[1]);
    fflush(stdout);

    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int ready = epoll_wait(epoll_fd, events, MAX_EVENTS, -1);
        for (int i = 0; i < ready; i++) {
            if (events[i].data.ptr == NULL)
                accept_all(listener);
            else
                serve(events[i].data.ptr, events[i].events);
        }
    }
}
