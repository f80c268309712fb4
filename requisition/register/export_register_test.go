package register

import (
	"crypto/ed25519"

	"github.com/ccjkit/ccjkit/requisition/register/journal"
)

// SigningKey exposes an identity's signing key to the tests that forge
// records a member could sign but this package would never write.
func SigningKey(id Identity) ed25519.PrivateKey { return id.sign }

// SealForEpoch seals plaintext to the current epoch of the register at
// path, as a member's program could.
func SealForEpoch(path string, plaintext []byte) ([]byte, error) {
	recs, err := journal.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ro := newRoster()
	for _, r := range recs {
		ro.add(r)
	}
	return ro.seal(plaintext)
}
