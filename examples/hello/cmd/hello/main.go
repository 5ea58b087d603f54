// Command hello prints a greeting and, with -serve ADDR, serves it over HTTP.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"

	"example.com/hello/internal/greeting"
)

func main() {
	name := flag.String("name", "world", "who to greet")
	serve := flag.String("serve", "", "listen address, such as :8080; empty prints once and exits")
	flag.Parse()

	message := greeting.Message("Hello", *name)
	if *serve == "" {
		fmt.Println(message)
		return
	}
	http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, message)
	})
	log.Printf("serving on %s", *serve)
	log.Fatal(http.ListenAndServe(*serve, nil))
}
