package elevenlabstest

import (
	"errors"
	"fmt"
	"net"
	"testing"
)

// failingListen is a config.listen that fails as a system out of file
// descriptors or ports would.
func failingListen() Option {
	return func(c *config) error {
		c.listen = func() (net.Listener, error) {
			return nil, &net.OpError{Op: "listen", Net: "tcp", Err: errors.New("too many open files")}
		}
		return nil
	}
}

// TestListenFailureIsAnError: NewServer returns a listen failure as an
// error (httptest.NewServer would panic), and Start fails the test with
// it.
func TestListenFailureIsAnError(t *testing.T) {
	t.Parallel()
	srv, err := NewServer(WithSampleData(), failingListen())
	if srv != nil || err == nil || err.Error() != "elevenlabstest: listening on a loopback address: listen tcp: too many open files" {
		t.Fatalf("NewServer returned a server: %t, error %v; want no server and the listen error", srv != nil, err)
	}
	var tb recordingTB
	if srv := Start(&tb, failingListen()); srv != nil || tb.fatal != err.Error() {
		t.Errorf("Start returned a server: %t, Fatalf(%q); want no server and Fatalf with the listen error", srv != nil, tb.fatal)
	}
	if len(tb.cleanups) != 0 {
		t.Errorf("Start registered %d cleanups for a server that did not start", len(tb.cleanups))
	}
}

// recordingTB records what Start does with its TB. Unlike testing.T, its
// Fatalf returns.
type recordingTB struct {
	fatal    string
	cleanups []func()
}

func (r *recordingTB) Helper()                        {}
func (r *recordingTB) Cleanup(fn func())              { r.cleanups = append(r.cleanups, fn) }
func (r *recordingTB) Fatalf(format string, a ...any) { r.fatal = fmt.Sprintf(format, a...) }
