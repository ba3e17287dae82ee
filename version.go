package elevenlabs

import (
	"runtime"
	"runtime/debug"
)

// modulePath is this module's import path, named in the User-Agent.
const modulePath = "github.com/convai-secrets-go/elevenlabs"

// userAgent names the module and its version, as the Go toolchain recorded
// it in the binary's build info ("(devel)" when built inside the module).
var userAgent = "elevenlabs-secrets-go/" + moduleVersion() + " (" + modulePath + "; " + runtime.Version() + ")"

func moduleVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if info.Main.Path == modulePath {
		return info.Main.Version
	}
	for _, dep := range info.Deps {
		if dep.Path == modulePath {
			if dep.Replace != nil && dep.Replace.Version != "" {
				return dep.Replace.Version
			}
			if dep.Replace != nil {
				return "(devel)"
			}
			return dep.Version
		}
	}
	return "unknown"
}
