//go:build !unix

package elevenlabs_test

import (
	"testing"
	"time"
)

// processCPUTime reports that the process's CPU time is not read here
// (getrusage is Unix's): the benchmarks leave out cpu-ns/op.
func processCPUTime(testing.TB) (time.Duration, bool) { return 0, false }
