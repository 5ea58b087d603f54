// Command goodbye prints a farewell.
package main

import (
	"flag"
	"fmt"

	"example.com/hello/internal/greeting"
)

func main() {
	name := flag.String("name", "world", "who to say goodbye to")
	flag.Parse()
	fmt.Println(greeting.Message("Goodbye", *name))
}
