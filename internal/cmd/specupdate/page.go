package main

import (
	"bytes"
	"fmt"
	"strings"
)

// The parts of an ElevenLabs API reference page that the update reads.
const (
	specSection     = "OpenAPI Specification" // "## OpenAPI Specification": one ```yaml block
	examplesSection = "Examples"              // "## Examples": the ```json block after "**Response**"
	responseLabel   = "**Response**"
)

// block is one fenced code block of a Markdown page.
type block struct {
	info    string // the info string after the opening fence: "yaml", "json"
	line    int    // line number of the opening fence, from 1
	section string // the "## " heading the block is under ("" before the first)
	label   string // the text line right before the block (blank lines aside), or ""
	body    []byte // the bytes between the fence lines, exactly as on the page
}

// page is what an update takes from a docs page.
type page struct {
	spec        []byte // the OpenAPI document, byte for byte
	specLine    int    // line of its opening fence
	example     []byte // the example 200 response, or nil when the page has none
	exampleLine int
}

// parsePage finds the spec and the example response in a docs page.
func parsePage(data []byte) (page, error) {
	blocks, sections, err := scanBlocks(data)
	if err != nil {
		return page{}, err
	}
	if !sections[specSection] {
		return page{}, fmt.Errorf("no %q section: is this an ElevenLabs API reference page?", "## "+specSection)
	}
	var specs, examples []block
	for _, b := range blocks {
		switch {
		case b.section == specSection && (b.info == "yaml" || b.info == "yml"):
			specs = append(specs, b)
		case b.section == examplesSection && b.label == responseLabel:
			examples = append(examples, b)
		}
	}
	var p page
	switch len(specs) {
	case 0:
		return page{}, fmt.Errorf("the %q section has no ```yaml block: expected exactly one, holding the OpenAPI document", "## "+specSection)
	case 1:
		p.spec, p.specLine = specs[0].body, specs[0].line
	default:
		return page{}, fmt.Errorf("the %q section has %d ```yaml blocks (lines %s): expected exactly one, holding the OpenAPI document", "## "+specSection, len(specs), lines(specs))
	}
	switch len(examples) {
	case 0:
	case 1:
		if examples[0].info != "json" {
			return page{}, fmt.Errorf("the example response (line %d) is a ```%s block: expected ```json", examples[0].line, examples[0].info)
		}
		p.example, p.exampleLine = examples[0].body, examples[0].line
	default:
		return page{}, fmt.Errorf("the %q section has %d %s blocks (lines %s): expected at most one", "## "+examplesSection, len(examples), responseLabel, lines(examples))
	}
	return p, nil
}

// scanBlocks returns the fenced code blocks of a Markdown page and the
// names of its "## " sections. Only fences at the start of a line count
// (``` or ~~~, three or more); a block ends at a fence of the same
// character at least as long, with nothing after it.
func scanBlocks(data []byte) ([]block, map[string]bool, error) {
	var (
		blocks   []block
		sections = map[string]bool{}
		section  string
		label    string
		open     *block // the block being read, if any
		fence    string // its opening fence
		start    int    // offset where its body starts
	)
	for n, off := 1, 0; off < len(data); n++ {
		end := bytes.IndexByte(data[off:], '\n') + 1
		if end == 0 {
			end = len(data) - off
		}
		raw := data[off : off+end]
		line := strings.TrimRight(string(raw), " \t\r\n")
		if open != nil {
			if strings.HasPrefix(line, fence) && strings.Trim(line, fence[:1]) == "" {
				open.body = data[start:off]
				blocks = append(blocks, *open)
				open, label = nil, ""
			}
		} else if f := fenceOf(line); f != "" {
			open = &block{info: strings.TrimSpace(line[len(f):]), line: n, section: section, label: label}
			fence, start = f, off+end
		} else if level, title := heading(line); level > 0 && level <= 2 {
			section, label = "", ""
			if level == 2 {
				section = title
				sections[title] = true
			}
		} else if line != "" {
			label = line
		}
		off += end
	}
	if open != nil {
		return nil, nil, fmt.Errorf("the code block opened at line %d is never closed (no closing %s)", open.line, fence)
	}
	return blocks, sections, nil
}

// fenceOf returns the opening fence a line starts with, or "".
func fenceOf(line string) string {
	for _, c := range []string{"`", "~"} {
		n := len(line) - len(strings.TrimLeft(line, c))
		if n >= 3 && (c == "~" || !strings.Contains(line[n:], "`")) {
			return line[:n]
		}
	}
	return ""
}

// heading returns the level and text of an ATX heading line ("## Text"),
// or 0 when the line is not one.
func heading(line string) (int, string) {
	level := len(line) - len(strings.TrimLeft(line, "#"))
	if level == 0 || level > 6 || (len(line) > level && line[level] != ' ') {
		return 0, ""
	}
	return level, strings.TrimSpace(line[level:])
}

// lines lists the blocks' line numbers: "12, 40".
func lines(blocks []block) string {
	s := make([]string, len(blocks))
	for i, b := range blocks {
		s[i] = fmt.Sprint(b.line)
	}
	return strings.Join(s, ", ")
}
