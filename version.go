package elevenlabs

import (
	"runtime"
	"runtime/debug"
)

// modulePath is this module's import path, named in the User-Agent.
const modulePath = "github.com/convai-secrets-go/elevenlabs"

// userAgent names the module and its version, as the Go toolchain recorded
// it in the binary's build info ("(devel)" when built inside the module).
var userAgent = "elevenlabs-secrets-go/" + moduleVersion(debug.ReadBuildInfo()) + " (" + modulePath + "; " + runtime.Version() + ")"

// moduleVersion returns this module's version in a binary's build info:
// the main module's, or the dependency's (its replacement's, if replaced;
// "(devel)" for a replacement by a directory).
func moduleVersion(info *debug.BuildInfo, ok bool) string {
	if !ok {
		return "unknown"
	}
	if info.Main.Path == modulePath {
		return info.Main.Version
	}
	for _, dep := range info.Deps {
		if dep.Path != modulePath {
			continue
		}
		switch {
		case dep.Replace == nil:
			return dep.Version
		case dep.Replace.Version != "":
			return dep.Replace.Version
		}
		return "(devel)"
	}
	return "unknown"
}
