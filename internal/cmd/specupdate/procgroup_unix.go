//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
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
// left running (a killed process may still be running for a moment).
func waitGroupGone(cmd *exec.Cmd, bound time.Duration) {
	if cmd.Process == nil {
		return
	}
	for deadline := time.Now().Add(bound); time.Now().Before(deadline) && groupRunning(cmd.Process.Pid); {
		time.Sleep(10 * time.Millisecond)
	}
}

// groupRunning reports whether a process of the group pgid is still
// running. A killed process lingers as a zombie until its parent reaps it
// (for an orphan, init, which in a container may take seconds or never
// do it); on Linux, /proc tells those from the living.
func groupRunning(pgid int) bool {
	if err := syscall.Kill(-pgid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	if runtime.GOOS != "linux" {
		return true
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return true
	}
	group := strconv.Itoa(pgid)
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue // gone meanwhile
		}
		// "pid (comm) state ppid pgrp ...": comm may hold spaces and
		// parentheses, so the fields are those after its last ')'.
		i := bytes.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		if f := strings.Fields(string(stat[i+1:])); len(f) >= 3 && f[2] == group && f[0] != "Z" {
			return true
		}
	}
	return false
}
