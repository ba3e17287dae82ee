package elevenlabs_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	elevenlabs "github.com/convai-secrets-go/elevenlabs"
	"github.com/convai-secrets-go/elevenlabs/elevenlabstest"
)

// The examples run against elevenlabstest, the package's fake server, and
// one of its sample secrets.
const sampleID = "sec_7d2f4a9c1e8b3f6a0d5c"

func ExampleNew() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	// Against the real API, elevenlabs.New() alone reads the key from
	// ELEVENLABS_API_KEY and talks to https://api.elevenlabs.io.
	client, err := elevenlabs.New(
		elevenlabs.WithAPIKey(srv.APIKey()),
		elevenlabs.WithBaseURL(srv.URL),
	)
	if err != nil {
		log.Fatal(err)
	}
	secret, err := client.GetSecret(context.Background(), sampleID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(secret.Name)
	// Output: StripeWebhookSigningKey
}

func ExampleClient_GetSecret() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	secret, err := client.GetSecret(context.Background(), sampleID)
	if err != nil {
		log.Fatal(err)
	}
	for _, tool := range secret.UsedBy.Tools {
		switch v, _ := tool.ValueByDiscriminator(); v := v.(type) {
		case elevenlabs.DependentAvailableToolIdentifier:
			fmt.Println("tool", v.ID, v.Name, v.AccessLevel)
		case elevenlabs.DependentUnknownToolIdentifier:
			fmt.Println("tool you cannot see:", v.ID)
		default: // a kind of dependent newer than this client
			kind, _ := tool.Discriminator()
			fmt.Println("dependent of type", kind)
		}
	}
	if more := secret.UsedBy.ToolsHasMore; more != nil && *more {
		fmt.Println("and more tools")
	}
	if phones := secret.UsedBy.PhoneNumbers; phones != nil { // optional: nil when the API leaves it out
		for _, p := range *phones {
			fmt.Println("phone number", p.PhoneNumber, p.Provider)
		}
	}
	// Output:
	// tool tool_8c1d2e3f4a5b6c7d CreateRefund editor
	// tool tool_2b3c4d5e6f7a8b9c LookupOrder viewer
	// tool tool_3a4b5c6d7e8f9a0b IssueCoupon commenter
	// tool you cannot see: tool_5e6f7a8b9c0d1e2f
	// and more tools
	// phone number +14155550123 twilio
	// phone number +442079460958 sip_trunk
	// phone number +918041234567 exotel
}

func ExampleWithRegion() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	// A region from a flag or a configuration file.
	region, err := elevenlabs.ParseRegion("eu")
	if err != nil {
		log.Fatal(err)
	}
	client, err := elevenlabs.New(
		elevenlabs.WithAPIKey(srv.APIKey()),
		elevenlabs.WithRegion(region),
		// Only for this example: deliver the EU stack's requests to the fake.
		elevenlabs.WithHTTPClient(&http.Client{Transport: srv.Transport()}),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL())
	if _, err := client.GetSecret(context.Background(), sampleID); err != nil {
		log.Fatal(err)
	}
	fmt.Println("request meant for", srv.Requests()[0].Host)
	// Output:
	// https://api.eu.residency.elevenlabs.io
	// request meant for api.eu.residency.elevenlabs.io
}

func ExampleParseRegion() {
	region, err := elevenlabs.ParseRegion("India")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(region, region.BaseURL())

	_, err = elevenlabs.ParseRegion("mars")
	fmt.Println(err != nil)
	// Output:
	// india https://api.in.residency.elevenlabs.io
	// true
}

func ExampleAPIError() {
	srv, err := elevenlabstest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	_, err = client.GetSecret(context.Background(), "sec_does_not_exist")
	var apiErr *elevenlabs.APIError
	switch {
	case errors.Is(err, elevenlabs.ErrNotFound) && errors.As(err, &apiErr):
		fmt.Println("no such secret:", apiErr.Code, "-", apiErr.Message)
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusTooManyRequests:
		fmt.Println("rate limited; retry after", apiErr.Header.Get("Retry-After"))
	case errors.As(err, &apiErr):
		fmt.Println("the API said", apiErr.Status)
	case err != nil:
		fmt.Println("no answer:", err)
	}
	// Output: no such secret: secret_not_found - Secret not found
}

// The statuses a caller branches on most have sentinels for errors.Is.
func ExampleAPIError_Is() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithAPIKeys("sk_the_right_key_0123"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := elevenlabs.New(elevenlabs.WithAPIKey("sk_the_right_key_0123"), elevenlabs.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = client.GetSecret(context.Background(), "sec_does_not_exist")
	fmt.Println(errors.Is(err, elevenlabs.ErrNotFound), errors.Is(err, elevenlabs.ErrUnauthorized))

	wrongKey, err := elevenlabs.New(elevenlabs.WithAPIKey("sk_a_revoked_key_4567"), elevenlabs.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	_, err = wrongKey.GetSecret(context.Background(), "sec_does_not_exist")
	fmt.Println(errors.Is(err, elevenlabs.ErrNotFound), errors.Is(err, elevenlabs.ErrUnauthorized))
	// Output:
	// true false
	// false true
}

// IDs from an untrusted source (a request, a file) can be checked before
// use; GetSecret checks them too, and sends nothing for a bad one.
func ExampleValidateSecretID() {
	for _, id := range []string{"sec_7d2f4a9c1e8b3f6a0d5c", "../../v1/user", ""} {
		err := elevenlabs.ValidateSecretID(id)
		fmt.Printf("%q: %v\n", id, errors.Is(err, elevenlabs.ErrInvalidSecretID))
	}
	// Output:
	// "sec_7d2f4a9c1e8b3f6a0d5c": false
	// "../../v1/user": true
	// "": true
}

// Redact hides a key in what a program prints of a response: whole, in
// another case, escaped, or cut short.
func ExampleRedact() {
	const key = "sk_7f3a9c1e5b2d8f4a6c0e9b7d3f1a5c8e2b6d4f0a9c7e3b1d5"
	fmt.Println(elevenlabs.Redact("name: "+key, key))
	fmt.Println(elevenlabs.Redact(`{"echo": "\u0073K_7F3A9C1E5B2D8F4A6C0E9B7D3F1A5C8E2B6D4F0A9C7E3B1D5"}`, key))
	fmt.Println(elevenlabs.Redact("cut: "+key[:20]+"…", key))
	// Output:
	// name: [REDACTED]
	// {"echo": "[REDACTED]"}
	// cut: [REDACTED]…
}

// InUse tells an unused secret from one whose dependents are listed, or
// were cut short.
func ExampleInUse() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	for _, id := range []string{"sec_7d2f4a9c1e8b3f6a0d5c", "sec_0a1b2c3d4e5f6a7b8c9d"} {
		secret, err := client.GetSecret(context.Background(), id)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: in use %v, more than listed %v\n", secret.Name, elevenlabs.InUse(secret.UsedBy), elevenlabs.HasMore(secret.UsedBy))
	}
	// Output:
	// StripeWebhookSigningKey: in use true, more than listed true
	// LegacyCRMPassword: in use false, more than listed false
}

// Dependents lists everything that uses a secret in one loop, of every
// kind, those newer than this package included.
func ExampleDependents() {
	srv, err := elevenlabstest.NewServer(elevenlabstest.WithSampleData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	secret, err := client.GetSecret(context.Background(), sampleID)
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range elevenlabs.Dependents(secret.UsedBy) {
		switch {
		case d.Hidden:
			fmt.Println(d.List, d.ID, "(not visible to this key)")
		case d.ID == "":
			fmt.Println(d.List, d.Type)
		default:
			fmt.Println(d.List, d.ID, d.Name)
		}
	}
	if elevenlabs.HasMore(secret.UsedBy) {
		fmt.Println("and more, not listed")
	}
	// Output:
	// tools tool_8c1d2e3f4a5b6c7d CreateRefund
	// tools tool_2b3c4d5e6f7a8b9c LookupOrder
	// tools tool_3a4b5c6d7e8f9a0b IssueCoupon
	// tools tool_5e6f7a8b9c0d1e2f (not visible to this key)
	// agents agent_4f5a6b7c8d9e0f1a BillingAssistant
	// agents agent_9a8b7c6d5e4f3a2b CheckoutHelper
	// agents agent_1c2d3e4f5a6b7c8d (not visible to this key)
	// phone_numbers pn_4155550123 US Billing Line
	// phone_numbers pn_442079460958 UK Office SIP
	// phone_numbers pn_918041234567 Bengaluru Support
	// mcp_servers mcp_6d7e8f9a0b1c2d3e PaymentsMCP
	// mcp_servers mcp_0f1e2d3c4b5a6978 (not visible to this key)
	// others conversation_initiation_webhook
	// and more, not listed
}
