package e2e

import (
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"go.mau.fi/libsignal/ecc"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

// ServeLimited is Serve with the rate limit given: burst bundles per peer,
// one more per every, at most maxPeers peers, time read from now.
func ServeLimited(m *Manager, h host.Host, burst int, every time.Duration, maxPeers int, now func() time.Time) {
	m.serve(h, newPeerLimiter(burst, every, maxPeers, now))
}

// SignBundleRecord wraps any body in a bundle record signed by priv, for
// tests that need validly signed records with invalid content.
func SignBundleRecord(priv ecc.ECPrivateKeyable, body []byte) []byte {
	sig := ecc.CalculateSignature(priv, recordMessage(body))
	rec, err := proto.Marshal(&pb.Signed{Body: body, Signature: sig[:]})
	if err != nil {
		panic(err)
	}
	return rec
}
