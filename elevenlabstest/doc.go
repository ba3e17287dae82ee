// Package elevenlabstest is a fake ElevenLabs workspace secrets API for
// tests, in the spirit of net/http/httptest: [NewServer] starts a loopback
// HTTP server answering GET /v1/convai/secrets/{secret_id} from an
// in-memory store, so code using the elevenlabs client can be tested
// without a key or a network.
//
//	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
//	if err != nil { ... }
//	defer srv.Close()
//	client, err := srv.Client() // base URL and key set for srv
//	secret, err := client.GetSecret(ctx, "sec_7d2f4a9c1e8b3f6a0d5c") // a sample
//
// In tests, [Start] does the same, fails the test if the server cannot
// start and closes it when the test ends. The server speaks HTTP/1.1 over
// plain TCP on loopback (no TLS, no HTTP/2): a [Fault] that drops the
// connection closes that TCP connection.
//
// # What the server answers
//
// For GET (and HEAD) /v1/convai/secrets/{secret_id}, in this order:
//
//   - 401 when the xi-api-key header is missing or is not one of the keys
//     the server accepts ([WithAPIKeys]; by default one random key, see
//     [Server.APIKey]), with ElevenLabs' error body
//     {"detail":{"status":"invalid_api_key","message":"..."}}
//     (status "needs_authorization" when no key was sent, and
//     "invalid_api_key" when only an Authorization header was: the fake
//     reads xi-api-key only);
//   - 422 with an HTTPValidationError body, as FastAPI's request validation
//     answers, when the secret_id is malformed. The real API's rules are not
//     published; this fake takes a well-formed ID to be 1 to
//     [MaxSecretIDLen] ASCII letters, digits, '_' or '-'. Anything else
//     (dots, colons, non-ASCII, an encoded slash) is a 422 whose loc is
//     ["path", "secret_id"];
//   - 404 {"detail":{"status":"secret_not_found","message":"..."}} for an ID
//     not in the store;
//   - 200 with the stored secret.
//
// Other paths are a 404 {"detail":"Not Found"} (a path with an empty, "."
// or ".." segment too: it is not redirected to its clean form) and other
// methods a 405 {"detail":"Method Not Allowed"}. Every response carries a request-id
// header (req_fake_000001, numbered in the order requests arrive), which
// [Request.RequestID] records too. The 200 and 422 bodies conform to the
// project's openapi.yaml (the package's tests check every one it can
// produce with an OpenAPI validator) unless a [Fault] says otherwise, with
// a Body of its own or by breaking the body (Truncate, DropConnection,
// Stall): [Server.AddSecret] refuses a secret the spec would not allow,
// and a Fault without those answers 422 with an HTTPValidationError, 200
// with the answer the request would have had, and describes either as
// the spec does (its Header sets no Content-Encoding and no Content-Type
// but application/json for it). To test a client against what the spec
// does not promise (union variants newer than the spec, broken bodies),
// give a Fault a Body.
//
// # Faults
//
// [Server.AddFaults] queues faults that the next requests meet, one fault
// per request, whatever the request: a status with an optional
// Retry-After, a delay, a truncated or replaced body, an HTML error page
// ([HTMLErrorPage]) or a connection dropped in the middle of the body. A
// fault with a [Fault.SecretID] is met only by requests for that secret,
// so that tests sharing a server in parallel each meet their own.
//
// # Requests
//
// [Server.Requests] returns what the server received, and
// [Server.ClearRequests] forgets it. The API key of each request is a
// [Key]: it compares with == but never prints.
package elevenlabstest
