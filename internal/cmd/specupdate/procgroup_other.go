//go:build !unix

package main

import (
	"os/exec"
	"time"
)

// ownGroup does nothing here: only the command itself is killed on
// cancellation.
func ownGroup(*exec.Cmd) {}

func waitGroupGone(*exec.Cmd, time.Duration) {}
