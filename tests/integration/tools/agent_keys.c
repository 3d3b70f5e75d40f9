/* Lists the keys an ssh-agent holds, by their comments, through
 * $SSH_AUTH_SOCK (SSH_AGENTC_REQUEST_IDENTITIES, draft-miller-ssh-agent):
 * what a RUN --mount=type=ssh step can do with a forwarded agent. Static, so
 * it runs in any image. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int read_all(int fd, unsigned char *buf, size_t n) {
  for (size_t got = 0; got < n;) {
    ssize_t r = read(fd, buf + got, n - got);
    if (r <= 0) return -1;
    got += (size_t)r;
  }
  return 0;
}

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

int main(void) {
  const char *path = getenv("SSH_AUTH_SOCK");
  if (!path) { fprintf(stderr, "SSH_AUTH_SOCK is not set\n"); return 1; }
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { perror(path); return 1; }
  const unsigned char request[5] = {0, 0, 0, 1, 11};
  if (write(fd, request, sizeof request) != (ssize_t)sizeof request) { perror("write"); return 1; }
  unsigned char head[4];
  if (read_all(fd, head, 4) != 0) { fprintf(stderr, "no answer\n"); return 1; }
  uint32_t len = be32(head);
  unsigned char *body = malloc(len);
  if (!body || len < 5 || read_all(fd, body, len) != 0 || body[0] != 12) { fprintf(stderr, "bad answer\n"); return 1; }
  uint32_t keys = be32(body + 1), at = 5;
  printf("%u keys\n", keys);
  for (uint32_t i = 0; i < keys; ++i) {
    if (at + 4 > len) return 1;
    at += 4 + be32(body + at); /* the public key blob */
    if (at + 4 > len) return 1;
    uint32_t n = be32(body + at);
    if (at + 4 + n > len) return 1;
    printf("%.*s\n", (int)n, (const char *)body + at + 4);
    at += 4 + n;
  }
  return 0;
}
