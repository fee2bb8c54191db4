package main

import (
	"fmt"
	"os"
	"time"
)

type Order struct {
	ID    int
	Items []string
	Total float64
}

var ticks int

func add(a, b int) int {
	sum := a + b
	return sum
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "loop" {
		for {
			ticks++
			time.Sleep(10 * time.Millisecond)
		}
	}
	fmt.Println("starting")
	order := Order{ID: 7, Items: []string{"tea", "cake"}, Total: 12.5}
	count := 0
	for i := 0; i < 3; i++ {
		count = add(count, i)
	}
	fmt.Println("count", count, order.ID)
	fmt.Fprintln(os.Stderr, "to stderr")
	os.Exit(3)
}
