package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestKilledGroupIsNotRunning: once a group's processes are killed, the
// wait before files are put back ends, also while they linger as zombies
// that nobody has reaped yet (as orphans in a container may); a group with
// a live process is running.
func TestKilledGroupIsNotRunning(t *testing.T) {
	cmd := exec.CommandContext(context.Background(), "sleep", "60")
	ownGroup(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	if !groupRunning(pgid) {
		t.Error("a group with a sleeping process is not running")
	}
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	// Not reaped yet (no Wait): a zombie, which kill(2) still finds.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pgid) + "/stat")
		if err != nil {
			t.Fatal(err)
		}
		if i := bytes.LastIndexByte(stat, ')'); i >= 0 && strings.HasPrefix(string(stat[i+1:]), " Z") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the killed process never became a zombie: %s", stat)
		}
	}
	if err := syscall.Kill(-pgid, 0); err != nil {
		t.Fatalf("kill(2) no longer finds the zombie (%v): the test shows nothing", err)
	}
	if groupRunning(pgid) {
		t.Error("a group whose only process is a zombie is running")
	}
	_ = cmd.Wait()
	if groupRunning(pgid) {
		t.Error("a group with no process left is running")
	}
}
