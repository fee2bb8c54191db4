import sys
import time


class Order:
    def __init__(self):
        self.id = 7
        self.items = ["tea", "cake"]


def add(a, b):
    total = a + b
    return total


ticks = 0


def main():
    global ticks
    if len(sys.argv) > 1:
        while True:
            ticks += 1
            time.sleep(0.01)
    print("starting", flush=True)
    order = Order()
    count = 0
    for i in range(3):
        count = add(count, i)
    print("count", count, order.id, flush=True)
    print("to stderr", file=sys.stderr, flush=True)
    sys.exit(3)


main()
