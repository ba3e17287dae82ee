// Command secrets shows an ElevenLabs Conversational AI workspace secret:
// its name and ID and everything that uses it (tools, agents, phone
// numbers, MCP servers and others), before you rotate or delete it.
//
// Usage:
//
//	secrets get [flags] SECRET_ID
//
// The API key is read from ELEVENLABS_API_KEY and never printed. With
// --fake the command runs against a built-in fake server with sample
// data, with no key and no network:
//
//	go run ./cmd/secrets get --fake sec_7d2f4a9c1e8b3f6a0d5c
//
// Run "secrets -h" for the flags and the exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	// Ctrl-C (SIGINT) cancels the request and ends the run with exit code
	// 130. SIGTERM keeps its default: the process ends at once.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}
