/* A UDP echo server for the container tests (busybox-static has no UDP
 * server): answers every datagram on 0.0.0.0:PORT with "echo: " + it. Built
 * static by the test, so it runs in a FROM-scratch image. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: udp_echo PORT\n");
    return 2;
  }
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)atoi(argv[1]));
  if (fd < 0 || bind(fd, (struct sockaddr*)&a, sizeof a) != 0) {
    perror("udp_echo");
    return 1;
  }
  printf("listening on udp %s\n", argv[1]);
  fflush(stdout);
  for (;;) {
    char in[1500], out[1600];
    struct sockaddr_in from;
    socklen_t len = sizeof from;
    ssize_t n = recvfrom(fd, in, sizeof in, 0, (struct sockaddr*)&from, &len);
    if (n < 0) continue;
    memcpy(out, "echo: ", 6);
    memcpy(out + 6, in, (size_t)n);
    sendto(fd, out, (size_t)n + 6, 0, (struct sockaddr*)&from, len);
  }
}
