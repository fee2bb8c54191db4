#include <stdio.h>
#include <unistd.h>

struct point { int x; int y; };

int add(int a, int b) {
  int sum = a + b;
  return sum;
}

volatile long ticks = 0;

int main(int argc, char **argv) {
  if (argc > 1) {
    for (;;) {
      ticks++;
      usleep(10000);
    }
  }
  printf("starting\n");
  fflush(stdout);
  struct point p = {3, 4};
  int count = 0;
  for (int i = 0; i < 3; i++) {
    count = add(count, i);
  }
  printf("count %d %d\n", count, p.x);
  fflush(stdout);
  fprintf(stderr, "to stderr\n");
  return 3;
}
