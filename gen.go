package elevenlabs

// The api package is generated from openapi.yaml with the generation-only
// changes of overlay.yaml; the root package's aliases follow it. Run
// `go generate ./...` (or `make generate`) after changing any of them.

//go:generate go tool -modfile=tools/go.mod oapi-codegen -config oapi-codegen.yaml openapi.yaml
//go:generate go run ./internal/cmd/aliasgen -in api/api.gen.go -out aliases.gen.go
