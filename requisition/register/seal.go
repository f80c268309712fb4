package register

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"filippo.io/age"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
)

// Keyring is a set of age public keys to seal to: records sealed with it
// can be opened by any holder of a matching secret key, and by nobody
// else — a stolen disk or backup reveals nothing. A [Register] seals each
// record to its current epoch's key and wraps each epoch key to its
// members with a Keyring; journals of the format before epochs were
// sealed to the members' keys directly, with a Keyring of them all.
//
// Sealing uses filippo.io/age (X25519 recipients, ChaCha20-Poly1305
// payload): a well-reviewed, maintained format with multi-recipient
// encryption built in, which is exactly what a cell of several members
// needs and what we should not design ourselves.
type Keyring struct {
	recipients []age.Recipient
	keys       []string
}

// ErrKey is wrapped by errors about keys.
var ErrKey = errors.New("register: bad key")

// ErrSealed is returned when a sealed record cannot be opened with the
// identities given.
var ErrSealed = errors.New("register: cannot open sealed record")

// NewKeyring parses members' age public keys ("age1..."). At least one is
// needed. The error names the position of a bad key, never the key.
func NewKeyring(publicKeys ...string) (Keyring, error) {
	if len(publicKeys) == 0 {
		return Keyring{}, fmt.Errorf("%w: a keyring needs at least one member's key", ErrKey)
	}
	var k Keyring
	for i, s := range publicKeys {
		r, err := age.ParseX25519Recipient(strings.TrimSpace(s))
		if err != nil {
			return Keyring{}, fmt.Errorf("%w: public key %d is not an age X25519 recipient", ErrKey, i+1)
		}
		k.recipients = append(k.recipients, r)
		k.keys = append(k.keys, r.String())
	}
	return k, nil
}

// Keys returns the public keys in the keyring.
func (k Keyring) Keys() []string { return append([]string(nil), k.keys...) }

// Seal encrypts plaintext to every member of the keyring.
func (k Keyring) Seal(plaintext []byte) ([]byte, error) {
	if len(k.recipients) == 0 {
		return nil, fmt.Errorf("%w: empty keyring", ErrKey)
	}
	var b bytes.Buffer
	w, err := age.Encrypt(&b, k.recipients...)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Role is what an identity may do in a register.
type Role string

// The roles of identities.
const (
	// RoleMember: a member of the cell, who reads the register (holds
	// its epoch keys), acts on cases and adds or removes identities.
	RoleMember Role = "member"
	// RoleRecovery: an identity kept offline (on paper, in a safe) that
	// holds every epoch key and may add members: it lets a cell that
	// lost its last member's key in again. It does not act on cases.
	RoleRecovery Role = "recovery"
	// RoleService: a program that must write but not read — the mail
	// intake, retention ingest, a technician's submission. It signs what it appends and seals it to the current
	// epoch's public key; it holds no key that opens a record.
	RoleService Role = "service"
	// RoleWatch: a program that must read the register to keep watch —
	// the watch daemon, which follows deadlines and pages the members
	// (desk watch) — and writes only submissions (Submit: its pages). It
	// holds the epoch keys, as a member does, but acts on no case, looks
	// nothing up, and changes nothing of the roster; removing it starts a
	// new epoch, as for any reading identity.
	RoleWatch Role = "watch"
)

// Roles returns every role.
func Roles() []Role { return []Role{RoleMember, RoleRecovery, RoleService, RoleWatch} }

func (r Role) valid() bool { return slices.Contains(Roles(), r) }

// reads reports whether an identity of role r holds the epoch keys.
func (r Role) reads() bool { return r == RoleMember || r == RoleRecovery || r == RoleWatch }

// manages reports whether an identity of role r may change the roster
// (add and remove identities, start epochs, grant their keys) and draw
// work-order keys.
func (r Role) manages() bool { return r == RoleMember || r == RoleRecovery }

// MaxIdentityName bounds an identity's name.
const MaxIdentityName = 32

// validName: 1 to 32 of a-z, 0-9, '.', '_', '-', starting with a letter
// or digit. Names appear in clear in the journal's roster records and in
// logs: a handle, not a person's full name (see docs/security.md).
func validName(s string) bool {
	if s == "" || len(s) > MaxIdentityName {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == '-'):
		default:
			return false
		}
	}
	return true
}

// Identity is who acts on a register: a name, a role, an ed25519 signing
// key that makes every record it appends attributable to it, and — for
// members and the recovery identity — an age X25519 key that opens the
// epoch keys granted to it. Keep it secret: [Identity.Secret] gives the
// text of the identity file.
type Identity struct {
	name string
	role Role
	sign ed25519.PrivateKey
	seal *age.X25519Identity
}

// NewIdentity generates the keys of a new identity. Store the secret
// ([Identity.Secret]) safely and give the public part
// ([Identity.Public]) to a member, who adds it to the register.
func NewIdentity(name string, role Role) (Identity, error) {
	if !validName(name) {
		return Identity{}, fmt.Errorf("%w: a name is 1 to %d of a-z, 0-9, '.', '_' and '-'", ErrKey, MaxIdentityName)
	}
	if !role.valid() {
		return Identity{}, fmt.Errorf("%w: the role is member, recovery or service", ErrKey)
	}
	_, sk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return Identity{}, err
	}
	id := Identity{name: name, role: role, sign: sk}
	if role.reads() {
		if id.seal, err = age.GenerateX25519Identity(); err != nil {
			return Identity{}, err
		}
	}
	return id, nil
}

// UpgradeIdentity makes an identity of the current format from a member's
// age secret key of an earlier version of ccjkit (which held no name and
// no signing key): the age key is kept — it still opens the records
// sealed to it — and a signing key is drawn.
func UpgradeIdentity(ageSecret, name string) (Identity, error) {
	id, err := NewIdentity(name, RoleMember)
	if err != nil {
		return Identity{}, err
	}
	if id.seal, err = age.ParseX25519Identity(strings.TrimSpace(ageSecret)); err != nil {
		return Identity{}, fmt.Errorf("%w: not an age X25519 secret key", ErrKey)
	}
	return id, nil
}

const identityHeader = "# ccjkit identity v1: keep this file secret"

// Secret returns the identity file's text: the name, the role and both
// secret keys.
func (i Identity) Secret() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nname: %s\nrole: %s\nsign: %s\n", identityHeader, i.name, i.role, base64.StdEncoding.EncodeToString(i.sign.Seed()))
	if i.seal != nil {
		fmt.Fprintf(&b, "seal: %s\n", i.seal.String())
	}
	return b.String()
}

// ParseIdentity reads an identity file ([Identity.Secret]'s text). A bare
// age secret key, the identity file of an earlier version, is refused
// with a hint to [UpgradeIdentity]. Errors never quote a key.
func ParseIdentity(text string) (Identity, error) {
	text = strings.TrimSpace(text)
	if strings.HasPrefix(text, "AGE-SECRET-KEY-1") {
		return Identity{}, fmt.Errorf("%w: an age key alone is an identity of an earlier version: upgrade it (UpgradeIdentity; desk member upgrade)", ErrKey)
	}
	lines := strings.Split(text, "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != identityHeader {
		return Identity{}, fmt.Errorf("%w: not a ccjkit identity file", ErrKey)
	}
	fields := map[string]string{}
	for n, l := range lines[1:] {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		k, v, ok := strings.Cut(l, ": ")
		if !ok || !slices.Contains([]string{"name", "role", "sign", "seal"}, k) || fields[k] != "" {
			return Identity{}, fmt.Errorf("%w: line %d of the identity file is not a name, role, sign or seal field given once", ErrKey, n+2)
		}
		fields[k] = strings.TrimSpace(v)
	}
	id := Identity{name: fields["name"], role: Role(fields["role"])}
	if !validName(id.name) || !id.role.valid() {
		return Identity{}, fmt.Errorf("%w: the identity file's name or role is missing or malformed", ErrKey)
	}
	seed, err := base64.StdEncoding.DecodeString(fields["sign"])
	if err != nil || len(seed) != ed25519.SeedSize {
		return Identity{}, fmt.Errorf("%w: the identity file's signing key is missing or malformed", ErrKey)
	}
	id.sign = ed25519.NewKeyFromSeed(seed)
	if id.role.reads() != (fields["seal"] != "") {
		return Identity{}, fmt.Errorf("%w: a %s identity %s a seal key", ErrKey, id.role, map[bool]string{true: "needs", false: "has no"}[id.role.reads()])
	}
	if fields["seal"] != "" {
		if id.seal, err = age.ParseX25519Identity(fields["seal"]); err != nil {
			return Identity{}, fmt.Errorf("%w: the identity file's seal key is not an age X25519 secret key", ErrKey)
		}
	}
	return id, nil
}

// Name returns the identity's name.
func (i Identity) Name() string { return i.name }

// Role returns the identity's role.
func (i Identity) Role() Role { return i.role }

// Public returns the identity's public part, which a member adds to the
// register.
func (i Identity) Public() PublicIdentity {
	p := PublicIdentity{Name: i.name, Role: i.role, Sign: i.sign.Public().(ed25519.PublicKey)}
	if i.seal != nil {
		p.Seal = i.seal.Recipient().String()
	}
	return p
}

// Open decrypts a record sealed to the identity's age key (a [Keyring]
// with its public key, or a record of the format before epochs).
func (i Identity) Open(sealed []byte) ([]byte, error) {
	if i.seal == nil {
		return nil, fmt.Errorf("%w: this identity holds no key that opens records", ErrSealed)
	}
	return openWith(i.seal, sealed)
}

func openWith(id age.Identity, sealed []byte) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(sealed), id)
	if err != nil {
		return nil, fmt.Errorf("%w: not sealed to this key, or damaged", ErrSealed)
	}
	out, err := io.ReadAll(io.LimitReader(r, journal.MaxPayload+1))
	if err != nil {
		return nil, fmt.Errorf("%w: damaged", ErrSealed)
	}
	return out, nil
}

// PublicIdentity is the public part of an [Identity]: what the register's
// roster records, in clear, when a member adds it.
type PublicIdentity struct {
	Name string            `json:"name"`
	Role Role              `json:"role"`
	Sign ed25519.PublicKey `json:"sign"`
	// Seal is the age recipient epoch keys are wrapped to; empty for a
	// service.
	Seal string `json:"seal,omitempty"`
}

const publicPrefix = "ccjkit-identity"

// String returns the public identity as one line: "ccjkit-identity NAME
// ROLE SIGN [SEAL]", SIGN in base64.
func (p PublicIdentity) String() string {
	s := fmt.Sprintf("%s %s %s %s", publicPrefix, p.Name, p.Role, base64.StdEncoding.EncodeToString(p.Sign))
	if p.Seal != "" {
		s += " " + p.Seal
	}
	return s
}

// ParsePublicIdentity reads [PublicIdentity.String]'s line.
func ParsePublicIdentity(s string) (PublicIdentity, error) {
	f := strings.Fields(s)
	if len(f) < 4 || len(f) > 5 || f[0] != publicPrefix {
		return PublicIdentity{}, fmt.Errorf("%w: a public identity is one line: %s NAME ROLE SIGN [SEAL]", ErrKey, publicPrefix)
	}
	sign, err := base64.StdEncoding.DecodeString(f[3])
	if err != nil || len(sign) != ed25519.PublicKeySize {
		return PublicIdentity{}, fmt.Errorf("%w: the public identity's signing key is malformed", ErrKey)
	}
	p := PublicIdentity{Name: f[1], Role: Role(f[2]), Sign: sign}
	if len(f) == 5 {
		p.Seal = f[4]
	}
	if err := p.check(); err != nil {
		return PublicIdentity{}, err
	}
	return p, nil
}

func (p PublicIdentity) check() error {
	if !validName(p.Name) || !p.Role.valid() {
		return fmt.Errorf("%w: the public identity's name or role is malformed", ErrKey)
	}
	if len(p.Sign) != ed25519.PublicKeySize {
		return fmt.Errorf("%w: the public identity's signing key is malformed", ErrKey)
	}
	if p.Role.reads() != (p.Seal != "") {
		return fmt.Errorf("%w: a %s identity %s a seal key", ErrKey, p.Role, map[bool]string{true: "needs", false: "has no"}[p.Role.reads()])
	}
	if p.Seal != "" {
		if _, err := age.ParseX25519Recipient(p.Seal); err != nil {
			return fmt.Errorf("%w: the public identity's seal key is not an age recipient", ErrKey)
		}
	}
	return nil
}
