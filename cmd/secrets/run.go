package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
)

// defaultTimeout bounds one run unless --timeout says otherwise.
const defaultTimeout = 30 * time.Second

// getFlags are the flags of "secrets get".
type getFlags struct {
	json    bool
	region  string
	baseURL string
	fake    bool
	timeout time.Duration
	set     map[string]bool // the flags given on the command line
}

// run is the whole command: it parses args (without the program name),
// reads the API key through env (except with --fake), writes to stdout and stderr and returns
// the exit code. Nothing it writes contains the API key.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) int {
	return runVia(ctx, http.DefaultTransport, args, stdout, stderr, env)
}

// runVia is run with the transport requests go through (tests route them
// to a fake server).
func runVia(ctx context.Context, transport http.RoundTripper, args []string, stdout, stderr io.Writer, env func(string) string) int {
	c := &command{env: env, transport: transport}
	return c.run(ctx, args, stdout, stderr)
}

// run runs the command with c's environment and transport.
func (c *command) run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var out, errOut bytes.Buffer
	c.stdout, c.stderr = &out, &errOut
	code := c.dispatch(ctx, args)
	// The client keeps the key out of its errors, but what is printed of
	// an answer (a name, an ID, the raw JSON) is the server's, which may
	// echo the key; and a key typed where a flag or an ID goes would be
	// quoted back in an error. The errors are scrubbed of the
	// environment's key (read here, with --fake too) and of the one sent;
	// the answer too, but with --fake, whose answers are the sample
	// data's, whatever the environment holds.
	scrub := func(b []byte, envKey bool) []byte { return []byte(c.redact(string(b), envKey)) }
	if _, err := stdout.Write(scrub(out.Bytes(), !c.fake)); err != nil && out.Len() > 0 {
		fmt.Fprintf(&errOut, "secrets: writing the output: %v\n", err)
		if code == exitOK {
			code = exitFailure
		}
	}
	_, _ = stderr.Write(terminalSafeText(scrub(errOut.Bytes(), true)))
	return code
}

// redact hides the key sent, and with envKey the environment's, in s.
func (c *command) redact(s string, envKey bool) string {
	if env := c.env(elevenlabs.APIKeyEnv); env != "" && envKey {
		s = elevenlabs.Redact(s, env) // white space around it too
	}
	return elevenlabs.Redact(s, c.sentKey)
}

// command is one run's output streams, environment and transport.
type command struct {
	stdout, stderr io.Writer
	env            func(string) string
	transport      http.RoundTripper
	// sentKey is the API key the run gives the client, to scrub from the
	// output; "" with --fake, which does not read ELEVENLABS_API_KEY (the
	// fake server has a key of its own).
	sentKey string
	// fake is set for a run with --fake.
	fake bool
	// startFake starts the server of --fake; nil is
	// elevenlabstest.NewServer. (Tests make it fail.)
	startFake func(...elevenlabstest.Option) (*elevenlabstest.Server, error)
}

func (c *command) dispatch(ctx context.Context, args []string) int {
	switch {
	case len(args) == 0 || isHelp(args[0]):
		return c.notGet(args)
	case args[0] == "get":
		return c.get(ctx, args[1:], false)
	case strings.HasPrefix(args[0], "-"):
		// Flags before the command: secrets --fake get SECRET_ID.
		return c.get(ctx, args, true)
	}
	return c.notGet(args)
}

func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help" || arg == "help"
}

// notGet answers a command line whose command (the first of args, which
// are the arguments that are no flags) is not "get": the help, or a
// usage error.
func (c *command) notGet(args []string) int {
	switch {
	case len(args) == 0:
		fmt.Fprintln(c.stderr, "secrets: no command")
	case isHelp(args[0]):
		usage(c.stdout, newGetFlagSet(&getFlags{}))
		return exitOK
	default:
		fmt.Fprintf(c.stderr, "secrets: unknown command %q\n", args[0])
	}
	usage(c.stderr, newGetFlagSet(&getFlags{}))
	return exitUsage
}

func newGetFlagSet(f *getFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("secrets get", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and usage are printed by run
	fs.BoolVar(&f.json, "json", false, "print the secret as the API returned it, as JSON")
	fs.StringVar(&f.region, "region", "", "the API `region`: "+regionNames()+" (default \"default\")")
	fs.StringVar(&f.baseURL, "base-url", "", "send requests to `URL` (a gateway or test server) instead of a region's server")
	fs.BoolVar(&f.fake, "fake", false, "use a built-in fake server with sample data: no key, no network\n(sample IDs: "+strings.Join(sampleIDs(), ", ")+")")
	f.timeout = defaultTimeout
	fs.Var((*durationFlag)(&f.timeout), "timeout", "give up after this `duration`, with its unit: 30s, 2m")
	return fs
}

// durationFlag is a flag.Value like flag.DurationVar's, whose error says
// why a value is refused (flag.DurationVar's says only "parse error"):
// time: missing unit in duration "5".
type durationFlag time.Duration

func (d *durationFlag) String() string { return time.Duration(*d).String() }

func (d *durationFlag) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = durationFlag(v)
	return nil
}

func regionNames() string {
	var names []string
	for _, r := range elevenlabs.Regions() {
		names = append(names, r.String())
	}
	return strings.Join(names, ", ")
}

// sampleIDs lists the IDs the fake server knows.
func sampleIDs() []string {
	samples, err := elevenlabstest.SampleSecrets()
	if err != nil {
		return []string{"(sample data unavailable: " + err.Error() + ")"}
	}
	ids := make([]string, len(samples))
	for i, s := range samples {
		ids[i] = s.SecretID
	}
	return ids
}

// usage prints the help text, with the flags and the exit codes.
func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `Usage: secrets get [flags] SECRET_ID

Shows an ElevenLabs Conversational AI workspace secret: its name and ID and
everything that uses it (tools, agents, phone numbers, MCP servers, others).
Dependents your API key may not see are shown by ID as hidden, and those of
a kind newer than this program (a new type, or a whole new list) by type and
ID; "and more" marks a list the API cut short.

The API key is read from %s; it is never printed.
Flags may come anywhere (before "get", before or after SECRET_ID), with one
dash or two.

Flags:
`, elevenlabs.APIKeyEnv)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	fmt.Fprint(w, "\nExit codes:\n")
	width := 0
	for _, e := range exitCodes {
		width = max(width, len(strconv.Itoa(e.code)))
	}
	for _, e := range exitCodes {
		fmt.Fprintf(w, "  %*d  %s\n", width, e.code, e.meaning)
	}
}

// parseGet parses the flags and arguments of "get", allowing flags after
// the secret ID ("--" ends the flags).
func parseGet(args []string) (*getFlags, []string, error) {
	f := &getFlags{set: map[string]bool{}}
	fs := newGetFlagSet(f)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return f, nil, err
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if len(rest) == 0 {
			break
		}
		if consumed > 0 && args[consumed-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	return f, positional, nil
}

// get runs "secrets get" with its flags and arguments; with
// commandInArgs, args are the whole command line, flags first, and the
// first argument that is no flag must be "get".
func (c *command) get(ctx context.Context, args []string, commandInArgs bool) int {
	stdout, stderr := c.stdout, c.stderr
	f, positional, err := parseGet(args)
	if errors.Is(err, flag.ErrHelp) {
		usage(stdout, newGetFlagSet(&getFlags{}))
		return exitOK
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "secrets: "+format+"\n", a...)
		fmt.Fprintln(stderr, "Run 'secrets -h' for help.")
		return exitUsage
	}
	if err == nil && commandInArgs {
		if len(positional) == 0 || positional[0] != "get" {
			return c.notGet(positional)
		}
		positional = positional[1:]
	}
	switch {
	case err != nil:
		return usageErr("%v", err)
	case len(positional) != 1:
		return usageErr("want exactly one SECRET_ID, got %d arguments", len(positional))
	case f.fake && (f.set["region"] || f.set["base-url"]):
		return usageErr("--fake cannot be combined with --region or --base-url")
	case f.set["region"] && f.set["base-url"]:
		return usageErr("--region and --base-url are exclusive: a base URL already names the server")
	case f.timeout <= 0:
		return usageErr("--timeout must be positive")
	}
	id := positional[0]

	capture := &captureTransport{base: c.transport, limit: elevenlabs.DefaultMaxResponseBytes}
	opts := []elevenlabs.Option{elevenlabs.WithHTTPClient(&http.Client{Transport: capture})}
	var client *elevenlabs.Client
	c.fake = f.fake
	if f.fake {
		start := c.startFake
		if start == nil {
			start = elevenlabstest.NewServer
		}
		srv, err := start(elevenlabstest.WithSampleData())
		if err != nil {
			fmt.Fprintf(stderr, "secrets: starting the fake server: %v\n", err)
			return exitFailure
		}
		defer srv.Close()
		if client, err = srv.Client(opts...); err != nil {
			fmt.Fprintf(stderr, "secrets: %v\n", err)
			return exitFailure
		}
	} else {
		// The flags first: a mistyped region is news even without a key.
		if f.set["region"] {
			region, err := elevenlabs.ParseRegion(f.region)
			if err != nil {
				return usageErr("%v", err)
			}
			opts = append(opts, elevenlabs.WithRegion(region))
		}
		key := c.env(elevenlabs.APIKeyEnv)
		c.sentKey = key
		if key == "" {
			return usageErr("no API key: set %s (or try --fake to see sample data)", elevenlabs.APIKeyEnv)
		}
		if strings.TrimSpace(key) != key {
			// New's error would not say where the key came from.
			return usageErr("%s has white space before or after the key: remove it", elevenlabs.APIKeyEnv)
		}
		opts = append(opts, elevenlabs.WithAPIKey(key))
		if f.set["base-url"] {
			opts = append(opts, elevenlabs.WithBaseURL(f.baseURL))
		}
		if client, err = elevenlabs.New(opts...); err != nil {
			return usageErr("%v", err)
		}
	}

	ctx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	secret, err := client.GetSecret(ctx, id)
	if err != nil {
		code, what := classify(err)
		switch code {
		case exitUsage:
			return usageErr("%v", err)
		case exitInterrupted: // the user knows why; the error would only say "context canceled"
			fmt.Fprintln(stderr, "secrets: interrupted")
			return code
		}
		fmt.Fprintf(stderr, "secrets: %s: %v\n", what, err)
		if code == exitNotFound && f.fake {
			fmt.Fprintf(stderr, "The fake server knows: %s\n", strings.Join(sampleIDs(), ", "))
		}
		return code
	}
	if f.json {
		err = writeJSON(stdout, capture.lastBody(), secret)
	} else {
		// Each cell hidden before the table is laid out, so that the
		// columns still line up (the whole output is scrubbed again).
		err = render(stdout, secret, func(s string) string { return c.redact(s, !c.fake) })
	}
	if err != nil {
		fmt.Fprintf(stderr, "secrets: writing the output: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// writeJSON prints the body the API sent, indented; raw is nil only if
// the body was not captured, and then the decoded secret is printed.
func writeJSON(w io.Writer, raw []byte, secret *elevenlabs.Secret) error {
	var buf bytes.Buffer
	if raw == nil || json.Indent(&buf, raw, "", "  ") != nil {
		buf.Reset()
		b, err := json.MarshalIndent(secret, "", "  ")
		if err != nil {
			return err
		}
		buf.Write(b)
	}
	buf.WriteByte('\n')
	_, err := w.Write(terminalSafeJSON(buf.Bytes()))
	return err
}

// terminalSafeJSON escapes, as \uXXXX, the characters a server could send
// raw inside a JSON string to drive or mislead a terminal: C1 controls
// (U+0080-U+009F, CSI among them), bidirectional controls and the line
// and paragraph separators; bytes that are not UTF-8 become \ufffd. JSON
// allows them only inside strings, where the escape means the same
// character, so the JSON's value is unchanged (but for invalid UTF-8,
// which JSON does not allow).
func terminalSafeJSON(b []byte) []byte {
	return rewriteRunes(b, func(r rune, invalid bool) (string, bool) {
		switch {
		case invalid:
			return `\ufffd`, true
		case r >= 0x80 && unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r), r == '\u2028', r == '\u2029':
			return fmt.Sprintf(`\u%04x`, r), true
		}
		return "", false
	})
}

// terminalSafeText escapes, as Go escapes (\x1b, \u202e), every character
// of b that is not printable but for line breaks and tabs, and every byte
// that is not UTF-8: what the command writes to stderr (errors quoting a
// server's certificate names or status text) cannot drive the terminal.
func terminalSafeText(b []byte) []byte {
	return rewriteRunes(b, func(r rune, invalid bool) (string, bool) {
		switch {
		case invalid:
			return fmt.Sprintf(`\x%02x`, r), true
		case r == '\n' || r == '\t' || strconv.IsPrint(r):
			return "", false
		}
		q := strconv.QuoteRune(r)
		return q[1 : len(q)-1], true
	})
}

// rewriteRunes returns b with each character for which rewrite returns
// true replaced by the text it returns; b itself if there is none. For a
// byte that is not UTF-8, rewrite gets the byte as r, and invalid set.
func rewriteRunes(b []byte, rewrite func(r rune, invalid bool) (string, bool)) []byte {
	var out []byte
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		invalid := r == utf8.RuneError && size == 1
		if invalid {
			r = rune(b[i])
		}
		text, ok := rewrite(r, invalid)
		if ok && out == nil {
			out = append(make([]byte, 0, len(b)+16), b[:i]...)
		}
		switch {
		case ok:
			out = append(out, text...)
		case out != nil:
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	if out == nil {
		return b
	}
	return out
}
