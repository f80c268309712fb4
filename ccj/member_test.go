package ccj_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/language"

	"github.com/ccjkit/ccjkit/ccj"
)

// The ntfy and webhook channels are paging channels: in Contact.Paging in
// the member's order, and not in Contact.Channels, which people read
// (the contact sheet), since knowing the address is enough to page the
// member.
func TestContactMachineChannels(t *testing.T) {
	m := ccj.Member{ID: "erin", Name: "Erin", Channels: []ccj.Channel{
		{Kind: ccj.Ntfy, Value: "https://ntfy.example.be/ccj-erin-7f3a"},
		{Kind: ccj.Phone, Value: "+32470000011"},
		{Kind: ccj.Email, Value: "erin@example.be"},
		{Kind: ccj.Webhook, Value: "https://hooks.example.be/ccj"},
		{Kind: ccj.Matrix, Value: "@erin:example.be"},
	}}
	got := m.Contact()
	want := ccj.Contact{ID: "erin", Name: "Erin", Phone: "+32470000011", Email: "erin@example.be",
		Paging:   []ccj.Channel{m.Channels[0], m.Channels[1], m.Channels[3], m.Channels[4]},
		Channels: []ccj.Channel{m.Channels[1], m.Channels[2], m.Channels[4]}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	// The contact sheet does not print them.
	c := sampleCell(t)
	c.Members[0].Channels = append(c.Members[0].Channels, m.Channels[0], m.Channels[3])
	var sheet bytes.Buffer
	if err := c.ContactSheet(&sheet, at("2026-11-23 10:05"), language.English); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"ntfy.example.be", "hooks.example.be"} {
		if strings.Contains(sheet.String(), secret) {
			t.Errorf("the contact sheet prints %s:\n%s", secret, sheet.String())
		}
	}
}

// An ntfy or webhook channel holds an https URL (http to this machine
// only), without credentials; an ntfy one names its topic.
func TestValidatePagingURLs(t *testing.T) {
	tests := []struct {
		name  string
		kind  ccj.ChannelKind
		value string
		ok    bool
	}{
		{"ntfy topic over https", ccj.Ntfy, "https://ntfy.sh/ccj-alice-7f3a", true},
		{"ntfy on a port", ccj.Ntfy, "https://ntfy.example.be:8443/ccj", true},
		{"ntfy over http to loopback", ccj.Ntfy, "http://127.0.0.1:8080/ccj", true},
		{"ntfy over http to localhost", ccj.Ntfy, "http://localhost/ccj", true},
		{"ntfy over http to IPv6 loopback", ccj.Ntfy, "http://[::1]:2586/ccj", true},
		{"ntfy over http across a network", ccj.Ntfy, "http://ntfy.example.be/ccj", false},
		{"ntfy without a topic", ccj.Ntfy, "https://ntfy.example.be/", false},
		{"ntfy with a query", ccj.Ntfy, "https://ntfy.example.be/ccj?priority=1", false},
		{"ntfy with credentials", ccj.Ntfy, "https://alice:pw@ntfy.example.be/ccj", false},
		{"ntfy, a bare topic", ccj.Ntfy, "ccj-alice", false},
		{"ntfy, another scheme", ccj.Ntfy, "ntfy://ntfy.example.be/ccj", false},
		{"webhook over https", ccj.Webhook, "https://hooks.example.be/ccj/page", true},
		{"webhook at the root", ccj.Webhook, "https://hooks.example.be", true},
		{"webhook with a query", ccj.Webhook, "https://hooks.example.be/ccj?member=alice", true},
		{"webhook over http across a network", ccj.Webhook, "http://10.0.0.1/ccj", false},
		{"webhook with a fragment", ccj.Webhook, "https://hooks.example.be/ccj#x", false},
		{"webhook with a user", ccj.Webhook, "https://token@hooks.example.be/ccj", false},
		{"webhook with a space", ccj.Webhook, "https://hooks.example.be/a b", false},
		{"webhook, empty", ccj.Webhook, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := sampleCell(t)
			c.Members[0].Channels = append(c.Members[0].Channels, ccj.Channel{Kind: tt.kind, Value: tt.value})
			field := "members[0].channels[" + strconv.Itoa(len(c.Members[0].Channels)-1) + "]"
			var found string
			for _, f := range c.Validate(at("2026-11-23 10:05")) {
				if f.Field == field {
					found = f.Text(language.English)
				}
			}
			if tt.ok && found != "" {
				t.Errorf("refused: %s", found)
			}
			if !tt.ok && !strings.Contains(found, "not an https URL") {
				t.Errorf("accepted (finding %q)", found)
			}
			if found != "" && tt.value != "" && strings.Contains(found, tt.value) {
				t.Error("the finding quotes the address")
			}
		})
	}
}

// The new kinds are read from a cell file.
func TestDecodeMachineChannels(t *testing.T) {
	for _, k := range []ccj.ChannelKind{ccj.Ntfy, ccj.Webhook} {
		var got ccj.ChannelKind
		if err := got.UnmarshalText([]byte(k)); err != nil || got != k {
			t.Errorf("%s: %v, %q", k, err, got)
		}
		if !strings.Contains(got.Hint(), string(k)) {
			t.Errorf("the hint %q does not name %s", got.Hint(), k)
		}
	}
}
