/*
 * uring_echo: the io_uring reference TCP echo server of bench/ratios.sh. One thread and one ring; one multishot
 * accept for every client; per connection one operation in flight at a time: a receive into the connection's own
 * buffer, then sends until all of it is back, then the next receive. A client that does not read is not read
 * either. Built with liburing (liburing-dev); a kernel that refuses io_uring makes it exit at start with a message.
 *
 * usage: uring_echo PORT    listens on 127.0.0.1:PORT until SIGTERM or SIGINT ends the process
 */
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { BUFFER_SIZE = 65536, RING_ENTRIES = 4096 };

enum operation { ACCEPT, RECEIVE, SEND };

struct connection {
    int fd;
    enum operation operation; /* the one in flight */
    size_t owed, sent;
    char buf[BUFFER_SIZE];
};

static struct io_uring ring;
static struct connection acceptor = { .operation = ACCEPT };

static struct io_uring_sqe *next_sqe(void)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    if (sqe == NULL) { /* the submission queue is full: hand it to the kernel, then take a fresh entry */
        io_uring_submit(&ring);
        sqe = io_uring_get_sqe(&ring);
    }
    return sqe;
}

static void accept_clients(int listener)
{
    struct io_uring_sqe *sqe = next_sqe();
    io_uring_prep_multishot_accept(sqe, listener, NULL, NULL, 0);
    io_uring_sqe_set_data(sqe, &acceptor);
}

static void receive(struct connection *c)
{
    struct io_uring_sqe *sqe = next_sqe();
    io_uring_prep_recv(sqe, c->fd, c->buf, BUFFER_SIZE, 0);
    io_uring_sqe_set_data(sqe, c);
    c->operation = RECEIVE;
}

static void send_rest(struct connection *c)
{
    struct io_uring_sqe *sqe = next_sqe();
    io_uring_prep_send(sqe, c->fd, c->buf + c->sent, c->owed - c->sent, MSG_NOSIGNAL);
    io_uring_sqe_set_data(sqe, c);
    c->operation = SEND;
}

static void drop(struct connection *c)
{
    close(c->fd);
    free(c);
}

static void complete(struct connection *c, int result, unsigned flags, int listener)
{
    if (c == &acceptor) {
        if (result >= 0) {
            int one = 1;
            struct connection *client = malloc(sizeof *client);
            if (client == NULL) {
                close(result);
            } else {
                setsockopt(result, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                client->fd = result;
                receive(client);
            }
        }
        if (!(flags & IORING_CQE_F_MORE)) /* the kernel ended the multishot accept: ask again */
            accept_clients(listener);
    } else if (c->operation == RECEIVE) {
        if (result <= 0) { /* closed (all echoed by now) or failed */
            drop(c);
            return;
        }
        c->owed = (size_t)result;
        c->sent = 0;
        send_rest(c);
    } else if (result < 0) {
        drop(c);
    } else {
        c->sent += (size_t)result;
        if (c->sent < c->owed)
            send_rest(c);
        else
            receive(c);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2 || atoi(argv[1]) <= 0 || atoi(argv[1]) > 65535) {
        fprintf(stderr, "usage: uring_echo PORT\n");
        return 2;
    }
    int error = io_uring_queue_init(RING_ENTRIES, &ring, 0);
    if (error < 0) {
        fprintf(stderr, "uring_echo: io_uring is not available here: %s\n", strerror(-error));
        return 1;
    }
    int listener = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[1])), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (listener < 0 || setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0
        || bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 4096) < 0) {
        perror("uring_echo: listen");
        return 1;
    }
    accept_clients(listener);
    printf("Listening on 127.0.0.1:%s (io_uring)\n", argv[1]);
    fflush(stdout);

    for (;;) {
        io_uring_submit_and_wait(&ring, 1);
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            complete(io_uring_cqe_get_data(cqe), cqe->res, cqe->flags, listener);
            seen++;
        }
        io_uring_cq_advance(&ring, seen);
    }
}
