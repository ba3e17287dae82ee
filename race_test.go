//go:build race

package elevenlabs_test

// raceEnabled reports whether the tests run under the race detector, which
// changes allocation counts (some buffers the compiler would keep on the
// stack go to the heap).
const raceEnabled = true
