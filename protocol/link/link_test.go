package link

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-msgio"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// A new device joins with a code: both sides show the same confirmation
// code, the existing device is asked with the new device's verified peer,
// key, name and platform, and the new device gets a certificate and device
// list that make it device 2 of the account.
func TestLinkSuccess(t *testing.T) {
	e := newExisting(t)
	d := newNewDevice(t)
	code := e.code(t)
	// The new device has only the code's text.
	parsed, err := ParseCode(code.String())
	if err != nil {
		t.Fatal(err)
	}
	linked, sas, err := d.join(t, parsed)
	if err != nil {
		t.Fatal(err)
	}
	reqs := e.seen()
	if len(reqs) != 1 {
		t.Fatalf("%d confirmations, want 1", len(reqs))
	}
	req := reqs[0]
	if len(sas) != 6 || strings.Trim(sas, "0123456789") != "" || req.SAS != sas {
		t.Fatalf("confirmation codes %q (new device) and %q (existing), want the same six digits", sas, req.SAS)
	}
	if req.Account != e.account.ID() || req.Peer != d.h.ID() || !bytes.Equal(req.SignalKey, d.req.SignalKey) || req.Name != "laptop" || req.Platform != "linux" {
		t.Fatalf("request %+v", req)
	}
	if linked.DeviceID != 2 || linked.Cert.DeviceID != 2 || linked.Cert.PeerID != d.h.ID() || linked.Cert.Account != e.account.ID() ||
		!bytes.Equal(linked.Cert.SignalIdentityKey, d.req.SignalKey) {
		t.Fatalf("linked as %+v", linked.Cert)
	}
	if linked.List.Version != 2 || len(linked.List.Devices) != 2 {
		t.Fatalf("device list version %d with %d devices", linked.List.Version, len(linked.List.Devices))
	}
	if _, ok := linked.List.ByPeer(e.h.ID()); !ok {
		t.Fatal("the list lost the existing device")
	}
	// What the node stores verifies on its own.
	l, err := identity.OpenDeviceList(linked.DeviceList)
	if err != nil || l.Version != 2 {
		t.Fatalf("stored device list: %v", err)
	}
	if e.offers.Open() != 0 {
		t.Fatalf("%d codes open after use", e.offers.Open())
	}
}

// The same code does not link a second time: not another device, not the
// same one again.
func TestLinkReplayedCode(t *testing.T) {
	e := newExisting(t)
	d := newNewDevice(t)
	code := e.code(t)
	if _, _, err := d.join(t, code); err != nil {
		t.Fatal(err)
	}
	_, _, err := newNewDevice(t).join(t, code)
	mustIs(t, err, ErrUsed)
	if !strings.Contains(err.Error(), "make a new code") {
		t.Fatalf("error %q does not say what to do", err)
	}
	_, _, err = d.join(t, code)
	mustIs(t, err, ErrUsed)
	if n := len(e.seen()); n != 1 {
		t.Fatalf("the user was asked %d times", n)
	}
}

// A code with the wrong secret names no offer: refused, and the real
// code is not harmed.
func TestLinkWrongSecret(t *testing.T) {
	e := newExisting(t)
	d := newNewDevice(t)
	code := e.code(t)
	wrong := code
	wrong.Secret[0] ^= 1
	for range MaxBadProofs + 1 {
		_, _, err := d.join(t, wrong)
		mustIs(t, err, ErrUnknownCode)
	}
	if len(e.seen()) != 0 {
		t.Fatal("the user was asked about a wrong code")
	}
	if _, _, err := d.join(t, code); err != nil {
		t.Fatalf("the real code after wrong ones: %v", err)
	}
}

// A proof that does not verify for a known code (here: a code whose
// account was changed, so the transcripts differ) is refused and counted;
// MaxBadProofs of them disable the code.
func TestLinkBadProofsBurnCode(t *testing.T) {
	e := newExisting(t)
	d := newNewDevice(t)
	code := e.code(t)
	tampered := code
	tampered.Account = testAccountID(7)
	for i := range MaxBadProofs {
		_, _, err := d.join(t, tampered)
		mustIs(t, err, ErrBadProof)
		if i < MaxBadProofs-1 && e.offers.Open() != 1 {
			t.Fatalf("code closed after %d bad proofs", i+1)
		}
	}
	_, _, err := d.join(t, code)
	mustIs(t, err, ErrBurned)
	if len(e.seen()) != 0 {
		t.Fatal("the user was asked")
	}
}

// An expired code is refused; long after, it is unknown.
func TestLinkExpiredCode(t *testing.T) {
	e := newExisting(t)
	d := newNewDevice(t)
	code := e.code(t)
	e.clock.Advance(DefaultCodeLifetime)
	_, _, err := d.join(t, code)
	mustIs(t, err, ErrExpired)
	e.clock.Advance(expiredMemory + time.Second)
	_, _, err = d.join(t, code)
	mustIs(t, err, ErrUnknownCode)
	if len(e.seen()) != 0 {
		t.Fatal("the user was asked")
	}
}

// The user's wait is bounded by the code's expiry: a confirmation still
// open then ends, and the new device hears that the code expired. (Real
// clock: the code lives a second or two.)
func TestLinkExpiresWhileAsking(t *testing.T) {
	e := newExistingAt(t, newClock(), time.Now)
	code, err := NewCode(e.account.ID(), e.h.ID(), e.h.Addrs(), time.Now().Add(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.offers.Add(code); err != nil {
		t.Fatal(err)
	}
	asked := make(chan error, 1)
	e.setAnswer(func(ctx context.Context, _ Request) (Grant, error) {
		<-ctx.Done()
		asked <- ctx.Err()
		return Grant{}, ctx.Err()
	})
	_, _, err = newNewDevice(t).join(t, code)
	mustIs(t, err, ErrExpired)
	mustIs(t, <-asked, context.DeadlineExceeded)
}

// The user says no: the new device hears it, and the code is used up.
func TestLinkDeclined(t *testing.T) {
	e := newExisting(t)
	d := newNewDevice(t)
	code := e.code(t)
	e.setAnswer(func(context.Context, Request) (Grant, error) {
		return Grant{}, fmt.Errorf("user said no: %w", ErrDeclined)
	})
	_, _, err := d.join(t, code)
	mustIs(t, err, ErrDeclined)
	e.setAnswer(nil)
	_, _, err = d.join(t, code)
	mustIs(t, err, ErrUsed)
}

// A confirmation that fails without the user's answer leaves the code
// open: the new device hears the failure and may try again.
func TestLinkConfirmFails(t *testing.T) {
	e := newExisting(t)
	d := newNewDevice(t)
	code := e.code(t)
	e.setAnswer(func(context.Context, Request) (Grant, error) {
		return Grant{}, errors.New("disk full")
	})
	_, _, err := d.join(t, code)
	mustIs(t, err, ErrRefused)
	e.setAnswer(nil)
	if _, _, err := d.join(t, code); err != nil {
		t.Fatalf("second try: %v", err)
	}
}

// A ConfirmFunc whose grant does not make the requester a device of the
// account is caught by the service, which refuses instead of sending it.
func TestLinkServiceChecksItsGrant(t *testing.T) {
	e := newExisting(t)
	d := newNewDevice(t)
	code := e.code(t)
	e.setAnswer(func(_ context.Context, req Request) (Grant, error) {
		req.Peer = e.h.ID() // a certificate for the wrong peer
		return e.grant(req)
	})
	_, _, err := d.join(t, code)
	mustIs(t, err, ErrRefused)
}

// While the user is asked about one device, another device with the same
// code is refused as busy; the first one still gets its answer.
func TestLinkBusy(t *testing.T) {
	e := newExisting(t)
	code := e.code(t)
	release := make(chan struct{})
	e.setAnswer(func(_ context.Context, req Request) (Grant, error) {
		<-release
		return e.grant(req)
	})
	first := make(chan error, 1)
	go func() {
		_, _, err := newNewDevice(t).join(t, code)
		first <- err
	}()
	eventually(t, "the first request to be asked", func() bool { return len(e.seen()) == 1 })
	_, _, err := newNewDevice(t).join(t, code)
	mustIs(t, err, ErrBusy)
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("first device: %v", err)
	}
}

// A new device that gives up while the user is asked ends the
// confirmation (its ctx ends), and the code stays open for another try.
func TestLinkNewDeviceGivesUp(t *testing.T) {
	e := newExisting(t)
	d := newNewDevice(t)
	code := e.code(t)
	asked := make(chan struct{})
	ended := make(chan error, 1)
	e.setAnswer(func(ctx context.Context, _ Request) (Grant, error) {
		close(asked)
		<-ctx.Done()
		ended <- ctx.Err()
		return Grant{}, ctx.Err()
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	joined := make(chan error, 1)
	go func() {
		_, err := Join(ctx, d.h, code, d.req, nil)
		joined <- err
	}()
	<-asked
	cancel()
	mustIs(t, <-joined, context.Canceled)
	mustIs(t, <-ended, context.Canceled)
	e.setAnswer(nil)
	eventually(t, "the code to be open again", func() bool {
		_, _, err := d.join(t, code)
		return !errors.Is(err, ErrBusy)
	})
	if n := len(e.seen()); n != 2 {
		t.Fatalf("the user was asked %d times, want 2", n)
	}
}

// Closing the service ends the confirmations under way and waits for its
// streams; a second Close says it is closed.
func TestLinkServiceClose(t *testing.T) {
	e := newExisting(t)
	code := e.code(t)
	ended := make(chan struct{})
	e.setAnswer(func(ctx context.Context, _ Request) (Grant, error) {
		<-ctx.Done()
		close(ended)
		return Grant{}, ctx.Err()
	})
	joined := make(chan error, 1)
	go func() {
		_, _, err := newNewDevice(t).join(t, code)
		joined <- err
	}()
	eventually(t, "the request to be asked", func() bool { return len(e.seen()) == 1 })
	if err := e.svc.Close(); err != nil {
		t.Fatal(err)
	}
	<-ended
	if err := <-joined; err == nil {
		t.Fatal("joined through a closed service")
	}
	mustIs(t, e.svc.Close(), ErrClosed)
	if e.offers.Open() != 1 {
		t.Fatal("closing used up the code")
	}
}

// Join refuses a request it could not send, without dialling.
func TestJoinChecksRequest(t *testing.T) {
	e := newExisting(t)
	code := e.code(t)
	d := newNewDevice(t)
	for _, tc := range []struct {
		name string
		edit func(*JoinRequest)
		want error
	}{
		{"no name", func(r *JoinRequest) { r.Name = "" }, ErrMalformed},
		{"long name", func(r *JoinRequest) { r.Name = strings.Repeat("x", MaxNameSize+1) }, ErrTooLarge},
		{"long platform", func(r *JoinRequest) { r.Platform = strings.Repeat("x", MaxPlatformSize+1) }, ErrTooLarge},
		{"escape in name", func(r *JoinRequest) { r.Name = "laptop\x1b[2J" }, ErrMalformed},
		{"override in platform", func(r *JoinRequest) { r.Platform = "linux\u202e" }, ErrMalformed},
		{"not utf-8", func(r *JoinRequest) { r.Name = "\xff" }, ErrMalformed},
		{"short key", func(r *JoinRequest) { r.SignalKey = r.SignalKey[:32] }, ErrMalformed},
		{"key type", func(r *JoinRequest) { r.SignalKey = append([]byte{4}, r.SignalKey[1:]...) }, ErrMalformed},
	} {
		req := d.req
		req.SignalKey = bytes.Clone(req.SignalKey)
		tc.edit(&req)
		_, err := Join(context.Background(), d.h, code, req, nil)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.want)
		}
	}
	if len(e.h.Network().ConnsToPeer(d.h.ID())) != 0 {
		t.Fatal("Join dialled with a bad request")
	}
	if _, err := Join(context.Background(), e.h, code, d.req, nil); !errors.Is(err, ErrMalformed) {
		t.Fatalf("joining one's own code: %v", err)
	}
}

// A peer that opens link streams and says nothing holds at most
// MaxStreamsPerPeer of them: its next one is refused as busy, and a new
// device linking meanwhile is served (with one limit for all peers, 4
// silent streams of one peer refused everybody for HelloTimeout).
func TestLinkSilentPeerBlocksOnlyItself(t *testing.T) {
	e := newExisting(t)
	code := e.code(t)
	rogue := newHost(t)
	rogue.Peerstore().AddAddrs(e.h.ID(), e.h.Addrs(), time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	answers := make(chan pb.LinkStatus, 4) // the refusals of silent streams
	for range 4 {
		st, err := rogue.NewStream(ctx, e.h.ID(), ProtocolID)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Reset() })
		served, refused := e.svc.streamsServed(), len(answers)
		// The length of a hello that never comes: the service waits for
		// it until HelloTimeout, or refuses the stream at once.
		if _, err := st.Write([]byte{100}); err != nil {
			t.Fatal(err)
		}
		go func() {
			f, err := msgio.NewVarintReaderSize(st, MaxServerFrameSize).ReadMsg()
			if err != nil {
				return // reset when the test ends
			}
			sf, err := decodeServerFrame(f)
			if err != nil {
				answers <- pb.LinkStatus_LINK_STATUS_NONE
				return
			}
			answers <- sf.GetRefused()
		}()
		eventually(t, "the silent stream to be served or refused", func() bool {
			return e.svc.streamsServed() > served || len(answers) > refused
		})
	}
	if got := e.svc.streamsServed(); got != MaxStreamsPerPeer || len(answers) != 4-MaxStreamsPerPeer {
		t.Fatalf("%d silent streams served and %d refused, want %d and %d", got, len(answers), MaxStreamsPerPeer, 4-MaxStreamsPerPeer)
	}
	for range 4 - MaxStreamsPerPeer {
		if s := <-answers; s != pb.LinkStatus_LINK_BUSY {
			t.Fatalf("a silent stream refused with %v, want busy", s)
		}
	}
	if _, _, err := newNewDevice(t).join(t, code); err != nil {
		t.Fatalf("a new device beside the silent peer: %v", err)
	}
}
