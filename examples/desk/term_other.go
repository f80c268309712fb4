//go:build !linux

package main

import "io"

// isTerminal reports false: the desk shows progress on Linux terminals
// only (see term_linux.go).
func isTerminal(io.Writer) bool { return false }
