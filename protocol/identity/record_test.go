package identity

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	ds "github.com/ipfs/go-datastore"
	dssync "github.com/ipfs/go-datastore/sync"
	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/pb"
)

func TestDeviceListKey(t *testing.T) {
	id := testAccount(t, 1).ID()
	key := DeviceListKey(id)
	if key != "/pigeon-devices/"+string(id[:]) {
		t.Fatalf("key %q", key)
	}
	got, err := AccountFromKey(key)
	if err != nil || got != id {
		t.Fatalf("AccountFromKey: %x, %v", got, err)
	}
	for name, k := range map[string]string{
		"empty":          "",
		"no namespace":   string(id[:]),
		"other ns":       "/pk/" + string(id[:]),
		"short":          "/pigeon-devices/" + string(id[:31]),
		"text id":        "/pigeon-devices/" + id.String(),
		"only namespace": "/pigeon-devices",
	} {
		if _, err := AccountFromKey(k); !errors.Is(err, ErrBadKey) {
			t.Errorf("%s: %v, want ErrBadKey", name, err)
		}
	}
}

func TestValidator(t *testing.T) {
	a, b := testAccount(t, 1), testAccount(t, 2)
	key := DeviceListKey(a.ID())
	v1 := signList(t, a, testList(t, a, 10, 1, 1))
	v2 := signList(t, a, testList(t, a, 10, 2, 2))
	v2b := signList(t, a, testList(t, a, 20, 1, 2)) // same version, other content
	v3 := signList(t, a, testList(t, a, 10, 3, 3))
	ofB := signList(t, b, testList(t, b, 10, 1, 9))
	bad := tamperList(t, v3)

	var v Validator
	for _, rec := range [][]byte{v1, v2, v3} {
		if err := v.Validate(key, rec); err != nil {
			t.Fatal(err)
		}
	}
	if err := v.Validate(key, bad); !errors.Is(err, ErrBadSignature) {
		t.Errorf("tampered: %v", err)
	}
	if err := v.Validate(key, ofB); !errors.Is(err, ErrWrongAccount) {
		t.Errorf("b's list under a's key: %v", err)
	}
	if err := v.Validate("/pk/"+string(a.ID().PublicKey()), v1); !errors.Is(err, ErrBadKey) {
		t.Errorf("other namespace: %v", err)
	}

	for _, tc := range []struct {
		name   string
		values [][]byte
		want   int
	}{
		{"newest last", [][]byte{v1, v2, v3}, 2},
		{"newest first", [][]byte{v3, v1, v2}, 0},
		{"invalid newer skipped", [][]byte{v1, bad, v2}, 2},
		{"foreign skipped", [][]byte{ofB, v1}, 1},
		{"tie keeps first", [][]byte{v2b, v2, v1}, 0},
		{"tie keeps first (swapped)", [][]byte{v1, v2, v2b}, 1},
		{"single", [][]byte{v1}, 0},
	} {
		got, err := v.Select(key, tc.values)
		if err != nil || got != tc.want {
			t.Errorf("%s: Select = %d, %v; want %d", tc.name, got, err, tc.want)
		}
	}
	if _, err := v.Select(key, [][]byte{bad, ofB}); err == nil {
		t.Error("Select of only invalid records succeeded")
	}
	if _, err := v.Select(key, nil); err == nil {
		t.Error("Select of nothing succeeded")
	}
}

// tamperList flips a bit of a record's signature.
func tamperList(t *testing.T, raw []byte) []byte {
	t.Helper()
	var s pb.Signed
	if err := proto.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	s.Signature[10] ^= 4
	return mustMarshal(t, &s)
}

func newDHTNode(t *testing.T) (host.Host, *dht.IpfsDHT) {
	t.Helper()
	h, err := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	d, err := dht.New(h,
		dht.Mode(dht.ModeServer),
		dht.ProtocolPrefix("/pigeon"),
		dht.NamespacedValidator(Namespace, Validator{}),
		dht.Datastore(dssync.MutexWrap(ds.NewMapDatastore())),
		dht.DisableProviders(),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return h, d
}

func TestValidatorInDHT(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h1, d1 := newDHTNode(t)
	h2, d2 := newDHTNode(t)
	if err := h2.Connect(ctx, peer.AddrInfo{ID: h1.ID(), Addrs: h1.Addrs()}); err != nil {
		t.Fatal(err)
	}
	for d1.RoutingTable().Size() < 1 || d2.RoutingTable().Size() < 1 {
		if ctx.Err() != nil {
			t.Fatal("routing tables did not fill")
		}
		time.Sleep(10 * time.Millisecond) // polling, bounded by ctx
	}

	a, b := testAccount(t, 1), testAccount(t, 2)
	key := DeviceListKey(a.ID())
	v1 := signList(t, a, testList(t, a, 10, 1, 1))
	v2 := signList(t, a, testList(t, a, 10, 2, 2))

	if err := d1.PutValue(ctx, key, v1); err != nil {
		t.Fatalf("put v1: %v", err)
	}
	got, err := d2.GetValue(ctx, key)
	if err != nil || !bytes.Equal(got, v1) {
		t.Fatalf("get v1 from the other node: %v", err)
	}
	l, err := OpenDeviceList(got)
	if err != nil || l.Account != a.ID() || l.Version != 1 {
		t.Fatalf("open fetched list: %+v, %v", l, err)
	}

	if err := d2.PutValue(ctx, key, v2); err != nil {
		t.Fatalf("put v2: %v", err)
	}
	if got, err = d1.GetValue(ctx, key); err != nil || !bytes.Equal(got, v2) {
		t.Fatalf("get v2: %v", err)
	}

	// Rollback, forgery and records under the wrong key are refused.
	if err := d1.PutValue(ctx, key, v1); err == nil {
		t.Error("older version accepted")
	}
	if err := d1.PutValue(ctx, key, tamperList(t, signList(t, a, testList(t, a, 10, 1, 3)))); err == nil {
		t.Error("record with a bad signature accepted")
	}
	if err := d1.PutValue(ctx, key, signList(t, b, testList(t, b, 10, 1, 4))); err == nil {
		t.Error("another account's record accepted")
	}
	if got, err = d2.GetValue(ctx, key); err != nil || !bytes.Equal(got, v2) {
		t.Fatalf("after rejected puts: %v", err)
	}
}
