//go:build unix

package main

import (
	"errors"
	"os/exec"
	"syscall"
	"time"
)

// ownGroup starts cmd in a process group of its own, which a cancelled
// context kills whole: what `go generate` starts (go tool, oapi-codegen,
// go run) dies with it, instead of writing generated files after the
// update has put them back. (exec.CommandContext alone kills only cmd.)
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}

// waitGroupGone waits, up to bound, until no process of cmd's group is
// left (a killed process may still be running for a moment).
func waitGroupGone(cmd *exec.Cmd, bound time.Duration) {
	if cmd.Process == nil {
		return
	}
	for deadline := time.Now().Add(bound); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if err := syscall.Kill(-cmd.Process.Pid, 0); errors.Is(err, syscall.ESRCH) {
			return
		}
	}
}
