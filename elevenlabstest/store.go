package elevenlabstest

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
)

// MaxSecretIDLen is the longest secret_id the fake takes as well-formed;
// see the package documentation for the rest of the rule.
const MaxSecretIDLen = 256

// validSecretID reports whether the fake takes id as a well-formed ID:
// 1 to MaxSecretIDLen ASCII letters, digits, '_' or '-'.
func validSecretID(id string) bool {
	if id == "" || len(id) > MaxSecretIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// AddSecret stores secret, replacing any secret with the same SecretID,
// and returns an error (storing nothing) if the API could not answer with
// it: a SecretID that is not well-formed, or a type, enum value or union
// variant that openapi.yaml does not list, or a dependent without an ID.
// An empty Type means "stored"; nil Tools, Agents and Others, and
// PhoneNumbers or MCPServers pointing to a nil list, are served as empty
// lists (no list in the spec may be null). Fields the spec does not know
// inside a union variant are dropped. UsedBy.AdditionalProperties are
// served as fields of used_by (a kind of dependent newer than the spec),
// unless one is named like a field the spec has ("tools", or "Tools":
// JSON decoders match names in any case): that would replace the field,
// so it is refused. Strings are served as encoding/json writes them:
// bytes that are not UTF-8 become U+FFFD (JSON carries text only; a union
// variant made with its From method already holds them so), so a name
// added with such bytes comes back different. The server keeps its own
// copy.
func (s *Server) AddSecret(secret elevenlabs.Secret) error {
	body, err := encodeSecret(secret)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets[secret.SecretID] = body
	return nil
}

// RemoveSecret deletes the secret id from the store and reports whether
// it was there.
func (s *Server) RemoveSecret(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.secrets[id]
	delete(s.secrets, id)
	return ok
}

// SecretIDs returns the IDs of the stored secrets, sorted.
func (s *Server) SecretIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.secrets))
	for id := range s.secrets {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// secretBody returns the JSON body stored for id.
func (s *Server) secretBody(id string) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	body, ok := s.secrets[id]
	return body, ok
}

// encodeSecret checks a secret against what the spec allows and returns
// its JSON body, with the union variants re-encoded from their Go types
// (so every required field is present) and empty lists for nil ones.
func encodeSecret(secret elevenlabs.Secret) ([]byte, error) {
	fail := func(format string, args ...any) ([]byte, error) {
		return nil, fmt.Errorf("elevenlabstest: secret %q: "+format, append([]any{secret.SecretID}, args...)...)
	}
	if !validSecretID(secret.SecretID) {
		return fail("the ID is not well-formed (1 to %d ASCII letters, digits, '_' or '-')", MaxSecretIDLen)
	}
	if secret.Type == "" {
		secret.Type = elevenlabs.ConvAIWorkspaceStoredSecretConfigTypeStored
	}
	if !secret.Type.Valid() {
		return fail("type %q is not in the spec", secret.Type)
	}
	u := &secret.UsedBy
	for _, name := range slices.Sorted(maps.Keys(u.AdditionalProperties)) {
		// In any case: encoding/json, and so the client, matches names to
		// fields so ("Tools" would be read as the tools list).
		if field, ok := specField(name); ok {
			return fail("used_by: AdditionalProperties[%q] would replace the spec's field %q: set the field instead", name, field)
		}
	}
	var err error
	if u.Tools, err = eachDependent(u.Tools); err != nil {
		return fail("tools%v", err)
	}
	if u.Agents, err = eachDependent(u.Agents); err != nil {
		return fail("agents%v", err)
	}
	if u.MCPServers != nil {
		servers, err := eachDependent(*u.MCPServers)
		if err != nil {
			return fail("mcp_servers%v", err)
		}
		u.MCPServers = &servers
	}
	if u.PhoneNumbers != nil {
		// Not slices.Clone: it keeps a nil list nil, served as null.
		phones := append([]elevenlabs.DependentPhoneNumberIdentifier{}, *u.PhoneNumbers...)
		for i, p := range phones {
			if p.PhoneNumberID == "" {
				return fail("phone_numbers[%d]: no phone_number_id", i)
			}
			if !p.Provider.Valid() {
				return fail("phone_numbers[%d]: provider %q is not in the spec", i, p.Provider)
			}
		}
		u.PhoneNumbers = &phones
	}
	if u.Others == nil {
		u.Others = []elevenlabs.SecretDependencyType{}
	}
	for i, o := range u.Others {
		if !o.Valid() {
			return fail("others[%d]: %q is not in the spec", i, o)
		}
	}
	body, err := json.Marshal(secret)
	if err != nil {
		return fail("%v", err)
	}
	return body, nil
}

// usedByFields are the JSON names of the fields the spec gives used_by,
// read from the generated type, so they follow openapi.yaml.
var usedByFields = jsonFieldNames(reflect.TypeFor[elevenlabs.ConvAIStoredSecretDependencies]())

// specField returns the used_by field the spec names like name, in any
// case.
func specField(name string) (string, bool) {
	for field := range usedByFields {
		if strings.EqualFold(name, field) {
			return field, true
		}
	}
	return "", false
}

// jsonFieldNames returns the names encoding/json gives t's exported
// fields (none of the generated types embeds a struct).
func jsonFieldNames(t reflect.Type) map[string]bool {
	names := map[string]bool{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-" || !f.IsExported():
		case name == "":
			names[f.Name] = true
		default:
			names[name] = true
		}
	}
	return names
}

// eachDependent normalizes every item of a union list into a new,
// non-nil slice, with normalizeDependent.
func eachDependent[U any, P union[U]](items []U) ([]U, error) {
	out := make([]U, 0, len(items))
	for i, item := range items {
		n, err := normalizeDependent[U, P](item)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out = append(out, n)
	}
	return out, nil
}

var errNoID = errors.New("no id")

// checkAccessLevel checks an available dependent's access level (valid:
// whether the spec lists it).
func checkAccessLevel(level string, valid bool) error {
	switch {
	case level == "":
		return errors.New("no access_level")
	case !valid:
		return fmt.Errorf("access_level %q is not in the spec", level)
	}
	return nil
}

// valueOf decodes a union by its discriminator, with an error naming a
// discriminator the spec does not list.
func valueOf(v interface {
	Discriminator() (string, error)
	ValueByDiscriminator() (any, error)
}) (any, error) {
	kind, err := v.Discriminator()
	if err != nil {
		return nil, fmt.Errorf("not a dependent: %w", err)
	}
	val, err := v.ValueByDiscriminator()
	if err != nil {
		return nil, fmt.Errorf("type %q is not in the spec", kind)
	}
	return val, nil
}

// union is a generated oneOf type of dependents (ToolDependent...), as
// normalizeDependent handles it.
type union[U any] interface {
	*U
	Discriminator() (string, error)
	ValueByDiscriminator() (any, error)
	UnmarshalJSON([]byte) error
}

// normalizeDependent checks an item of a union list and returns it
// re-encoded from its variant's Go type (so every field the variant
// requires is present). It reads any variant, including one a later
// spec adds, the same way: an "ID" it must have, and an "AccessLevel",
// if it has one, that the spec must list (a variant the API key can
// see).
func normalizeDependent[U any, P union[U]](d U) (U, error) {
	val, err := valueOf(P(&d))
	if err != nil {
		return d, err
	}
	v := reflect.ValueOf(val)
	if v.Kind() != reflect.Struct {
		return d, fmt.Errorf("variant %T is not a struct: elevenlabstest's normalizeDependent (store.go) reads an ID and an AccessLevel from each", val)
	}
	if id := v.FieldByName("ID"); !id.IsValid() || id.Kind() != reflect.String {
		return d, fmt.Errorf("variant %T has no ID string: elevenlabstest's normalizeDependent (store.go) needs to learn where its ID is", val)
	} else if id.String() == "" {
		return d, errNoID
	}
	if level := v.FieldByName("AccessLevel"); level.IsValid() && !(level.Kind() == reflect.Pointer && level.IsNil()) {
		level = reflect.Indirect(level)
		valid, ok := level.Interface().(interface{ Valid() bool })
		if level.Kind() != reflect.String || !ok {
			return d, fmt.Errorf("variant %T: its AccessLevel is not an enum: elevenlabstest's normalizeDependent (store.go) needs to learn it", val)
		}
		if err := checkAccessLevel(level.String(), valid.Valid()); err != nil {
			return d, err
		}
	}
	raw, err := json.Marshal(val)
	if err != nil {
		return d, err
	}
	var out U
	err = P(&out).UnmarshalJSON(raw)
	return out, err
}
