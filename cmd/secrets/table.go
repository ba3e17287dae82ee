package main

import (
	"io"
	"strings"

	"github.com/rivo/uniseg"
)

// table lays out rows of cells in columns two spaces apart, by the width
// each cell takes on a terminal. uniseg measures it: a wide (East Asian)
// character takes two columns, a combining mark none, an emoji sequence
// one character's width; text/tabwriter counts runes, and shifted the
// rows of names in Japanese or with accents. A row's last cell is not
// padded (no trailing spaces) and does not widen its column.
type table struct{ rows [][]string }

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, cell := range r[:max(len(r)-1, 0)] {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], uniseg.StringWidth(cell))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-uniseg.StringWidth(cell)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// fit returns s, or if it takes more than width columns on a terminal,
// its start cut between characters so that with "..." it takes at most
// width. A cut never falls inside a [REDACTED] marker (where the key was
// hidden): the marker goes whole, so that what is left cannot pass for
// text the server sent.
func fit(s string, width int) string {
	if uniseg.StringWidth(s) <= width {
		return s
	}
	cut, used, state := 0, 0, -1
	for rest := s; rest != ""; {
		var cluster string
		var w int
		cluster, rest, w, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if used+w > width-len("...") {
			break
		}
		cut += len(cluster)
		used += w
	}
	for at := 0; ; {
		i := strings.Index(s[at:], redacted)
		if i < 0 || at+i >= cut {
			break
		}
		if at+i+len(redacted) > cut {
			cut = at + i
			break
		}
		at += i + len(redacted)
	}
	return s[:cut] + "..."
}

// redacted is what elevenlabs.Redact puts where it hid the key.
const redacted = "[REDACTED]"
