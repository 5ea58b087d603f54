// Package greeting builds the messages that the example commands print.
package greeting

import "fmt"

// Version is set at link time through -ldflags "-X".
var Version = "dev"

// Message returns the line a command prints for the given verb and name.
func Message(verb, name string) string {
	return fmt.Sprintf("%s, %s! (version %s)", verb, name, Version)
}
