package mailbox_test

import (
	"crypto/rand"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/mailbox"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

func seedKeys(f *testing.F) (crypto.PrivKey, peer.ID, *pb.Signed, peer.ID) {
	priv, pub, _ := crypto.GenerateEd25519Key(rand.Reader)
	p, _ := peer.IDFromPublicKey(pub)
	_, rpub, _ := crypto.GenerateEd25519Key(rand.Reader)
	relay, _ := peer.IDFromPublicKey(rpub)
	acct, _ := identity.NewAccount()
	sig := make([]byte, 33)
	sig[0] = 5
	cert, err := acct.IssueCertificate(1, p, sig, time.Now())
	if err != nil {
		f.Fatal(err)
	}
	return priv, p, cert, relay
}

func FuzzDecodeRequest(f *testing.F) {
	priv, _, cert, relay := seedKeys(f)
	reg, _ := mailbox.SignRegistration(priv, relay, cert, 1, time.Now().Add(time.Hour),
		mailbox.WithListVersion(5), mailbox.WithDepositKeys([32]byte{1}))
	closing, _ := mailbox.SignClosing(priv, relay, cert, 2, time.Now())
	acct := make([]byte, 32)
	for _, req := range []*pb.MailboxRequest{
		{Body: &pb.MailboxRequest_Register{Register: reg}},
		{Body: &pb.MailboxRequest_Close{Close: closing}},
		{Body: &pb.MailboxRequest_Deposit{Deposit: &pb.MailboxDeposit{Account: acct, Device: 1, DepositId: make([]byte, 16), Envelope: []byte{1}, ListVersion: 7, Credential: make([]byte, 32)}}},
		{Body: &pb.MailboxRequest_Deposit{Deposit: &pb.MailboxDeposit{Account: acct, Device: 1, DepositId: make([]byte, 16), Envelope: []byte{1, 2}}}},
		{Body: &pb.MailboxRequest_Deposit{Deposit: &pb.MailboxDeposit{Account: acct, Device: 1, DepositId: make([]byte, 16), Envelope: []byte{1}, Pins: [][]byte{{1, 0x55, 0x12, 0x20}}}}},
		{Body: &pb.MailboxRequest_Drain{Drain: &pb.MailboxDrain{Account: acct, Device: 1, AfterSeq: 9, Max: 10}}},
		{Body: &pb.MailboxRequest_Ack{Ack: &pb.MailboxAck{Account: acct, Device: 1, DepositIds: [][]byte{make([]byte, 16)}}}},
		{Body: &pb.MailboxRequest_Subscribe{Subscribe: &pb.MailboxSubscribe{Account: acct, Device: 1}}},
		{Body: &pb.MailboxRequest_UploadPrekeys{UploadPrekeys: &pb.MailboxUploadPreKeys{Account: acct, Device: 1, OneTime: []*pb.MailboxOneTimePreKey{{Id: 1, Bundle: []byte{1}}}}}},
		{Body: &pb.MailboxRequest_FetchPrekey{FetchPrekey: &pb.MailboxFetchPreKey{Account: acct, Device: 1}}},
		{Body: &pb.MailboxRequest_Follow{Follow: &pb.MailboxFollow{Account: acct, Device: 1, Topics: [][]byte{make([]byte, 32)}}}},
	} {
		b, _ := proto.Marshal(req)
		f.Add(b)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := mailbox.DecodeRequest(b)
		if err != nil {
			return
		}
		if r := req.GetRegister(); r != nil {
			_, _ = mailbox.VerifyRegistration(r, relay)
		}
		if c := req.GetClose(); c != nil {
			_, _ = mailbox.VerifyClosing(c, relay)
		}
		again, err := proto.Marshal(req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := mailbox.DecodeRequest(again); err != nil {
			t.Fatalf("re-encoded request does not decode: %v", err)
		}
	})
}

func FuzzDecodeResponse(f *testing.F) {
	for _, resp := range []*pb.MailboxResponse{
		{Code: pb.ErrorCode_REPLAY},
		{Error: pb.MailboxError_MAILBOX_QUOTA_BYTES},
		{Body: &pb.MailboxResponse_Receipt{Receipt: &pb.CustodyReceipt{Body: []byte{1}, Signature: []byte{2}}}},
		{Body: &pb.MailboxResponse_Items{Items: &pb.MailboxItems{Items: []*pb.MailboxItem{{Seq: 1, DepositId: make([]byte, 16), Envelope: []byte{1}}}, More: true}}},
		{Body: &pb.MailboxResponse_Prekey{Prekey: &pb.MailboxPreKey{Bundle: []byte{1}, PrekeyId: 3, OneTime: true}}},
		{Body: &pb.MailboxResponse_Registered{Registered: &pb.MailboxRegistered{ExpiresAtMs: 1}}},
	} {
		b, _ := proto.Marshal(resp)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		resp, err := mailbox.DecodeResponse(b)
		if err != nil {
			return
		}
		if r := resp.GetReceipt(); r != nil {
			_, _ = mailbox.DecodeCustodyReceipt(r)
		}
	})
}

func FuzzVerifyRegistration(f *testing.F) {
	priv, _, cert, relay := seedKeys(f)
	reg, _ := mailbox.SignRegistration(priv, relay, cert, 1, time.Now().Add(time.Hour))
	f.Add(reg.Body, reg.Signature)
	f.Fuzz(func(t *testing.T, body, sig []byte) {
		r, err := mailbox.VerifyRegistration(&pb.MailboxRegister{Body: body, Signature: sig}, relay)
		if err == nil && (r.PeerID == "" || r.Sequence == 0) {
			t.Fatal("verified registration without peer or sequence")
		}
	})
}

func FuzzVerifyClosing(f *testing.F) {
	priv, _, cert, relay := seedKeys(f)
	c, _ := mailbox.SignClosing(priv, relay, cert, 1, time.Now())
	f.Add(c.Body, c.Signature)
	f.Fuzz(func(t *testing.T, body, sig []byte) {
		c, err := mailbox.VerifyClosing(&pb.MailboxClose{Body: body, Signature: sig}, relay)
		if err == nil && (c.PeerID == "" || c.Sequence == 0) {
			t.Fatal("verified closing without peer or sequence")
		}
	})
}

func FuzzDecodeCustodyReceipt(f *testing.F) {
	priv, p, _, _ := seedKeys(f)
	body, _ := proto.Marshal(&pb.CustodyReceiptBody{RelayPeerId: []byte(p), Account: make([]byte, 32), Device: 1,
		DepositId: make([]byte, 16), EnvelopeSha256: make([]byte, 32), StoredUntilMs: 1})
	sig, _ := priv.Sign(body)
	f.Add(body, sig)
	f.Fuzz(func(t *testing.T, body, sig []byte) {
		r, err := mailbox.DecodeCustodyReceipt(&pb.CustodyReceipt{Body: body, Signature: sig})
		if err != nil {
			return
		}
		// Nobody but the relay's key signs receipts; random input never verifies.
		if mailbox.VerifyCustodyReceipt(r, r.Relay) == nil && r.Relay != p {
			t.Fatal("receipt verified for a relay whose key never signed")
		}
	})
}
