//go:build unix

package elevenlabs_test

import (
	"syscall"
	"testing"
	"time"
)

// processCPUTime is the CPU time (user and system) the process has used.
// Unlike wall time, it does not grow while other programs on a busy
// machine hold the CPU.
func processCPUTime(tb testing.TB) (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
