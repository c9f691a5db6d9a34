package profiles_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"github.com/pigeon-net/pigeon/node"
	"github.com/pigeon-net/pigeon/node/core"
	"github.com/pigeon-net/pigeon/node/nodetest"
	"github.com/pigeon-net/pigeon/node/profiles"
)

const wait = 30 * time.Second

// avatar is a small real PNG.
func avatar(tb testing.TB, c color.Color) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for x := range 8 {
		for y := range 8 {
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// has reports whether n holds a's profile with name and avatar.
func has(n *node.Node, a core.AccountID, name string, img []byte) bool {
	p, err := n.Profiles().Get(context.Background(), a)
	return err == nil && p.Name == name && bytes.Equal(p.Avatar, img)
}

// TestProfileReachesContactsGroupsAndDevices: a profile change reaches a
// contact (1:1), a group member who is no contact (the group), and a
// device of the account linked later (the account log), with the same
// state hash there.
func TestProfileReachesContactsGroupsAndDevices(t *testing.T) {
	nw, _ := nodetest.NewGroup(t, 3, nodetest.LogOnFailure(t, "profiles"))
	member, alice, bob := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	ctx := context.Background()
	aID := alice.Info().Account
	if err := alice.Contacts().Add(ctx, bob.Info().Account, "bob"); err != nil {
		t.Fatal(err)
	}
	if err := bob.Contacts().Add(ctx, aID, ""); err != nil {
		t.Fatal(err)
	}
	changes := node.Subscribe[profiles.Changed](bob)
	defer changes.Close()

	img := avatar(t, color.RGBA{R: 200, A: 255})
	if err := alice.Profiles().SetName(ctx, "  Alice  "); err != nil {
		t.Fatal(err)
	}
	if err := alice.Profiles().SetAvatar(ctx, img); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool { return has(bob, aID, "Alice", img) }, "contact has the profile")
	nodetest.Eventually(t, wait, func() bool { return has(member, aID, "Alice", img) }, "group member has the profile")
	select {
	case ev := <-changes.Events():
		if ev.Account != aID || ev.Name != "Alice" {
			t.Fatalf("event %+v", ev)
		}
	case <-time.After(wait):
		t.Fatal("no profile_changed event")
	}

	// A later change: the highest version wins everywhere.
	if err := alice.Profiles().SetName(ctx, "Alice B."); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool { return has(bob, aID, "Alice B.", img) }, "contact has the new name")
	nodetest.Eventually(t, wait, func() bool { return has(member, aID, "Alice B.", img) }, "member has the new name")

	// A device linked now gets the account's own profile.
	i := nw.Link(1, "alice-2")
	second := nw.Nodes[i]
	nodetest.Eventually(t, wait, func() bool { return has(second, aID, "Alice B.", img) }, "linked device has our profile")
	nodetest.SameState(t, alice, second)

	// Changed on the new device: the first follows, and contacts too.
	if err := second.Profiles().ClearAvatar(ctx); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool { return has(alice, aID, "Alice B.", nil) }, "first device follows")
	nodetest.Eventually(t, wait, func() bool { return has(bob, aID, "Alice B.", nil) }, "contact follows the other device")
	nodetest.SameState(t, alice, second)
}

// TestProfileNotToBlocked: a blocked contact gets no profile; unblocked,
// it does.
func TestProfileNotToBlocked(t *testing.T) {
	nw := nodetest.New(t, 3, nodetest.LogOnFailure(t, "profiles"))
	alice, bob, carol := nw.Nodes[1], nw.Nodes[2], nw.Nodes[0]
	ctx := context.Background()
	aID := alice.Info().Account
	for _, n := range []*node.Node{bob, carol} {
		if err := alice.Contacts().Add(ctx, n.Info().Account, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := alice.Contacts().Block(ctx, bob.Info().Account); err != nil {
		t.Fatal(err)
	}
	if err := alice.Profiles().SetName(ctx, "Alice"); err != nil {
		t.Fatal(err)
	}
	// Carol's copy was queued with bob's, had bob's gone: once carol has
	// it, bob would have it too.
	nodetest.Eventually(t, wait, func() bool { return has(carol, aID, "Alice", nil) }, "carol has the profile")
	if _, err := bob.Profiles().Get(ctx, aID); err == nil {
		t.Fatal("a blocked contact got the profile")
	}
	if err := alice.Contacts().Unblock(ctx, bob.Info().Account); err != nil {
		t.Fatal(err)
	}
	nodetest.Eventually(t, wait, func() bool { return has(bob, aID, "Alice", nil) }, "unblocked contact has the profile")
}

func TestCheckName(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{" Ada ", "Ada", true},
		{"", "", false},
		{"   ", "", false},
		{"a\x00b", "", false},
		{"a\nb", "", false},
		{string([]byte{0xff}), "", false},
		{string(bytes.Repeat([]byte("é"), 64)), string(bytes.Repeat([]byte("é"), 64)), true},
		{string(bytes.Repeat([]byte("é"), 65)), "", false},
	} {
		got, err := profiles.CheckName(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("CheckName(%q) = %q, %v", tc.in, got, err)
		}
	}
}

func TestAvatarType(t *testing.T) {
	img := avatar(t, color.Black)
	if typ, err := profiles.AvatarType(img); err != nil || typ != "image/png" {
		t.Fatalf("png: %q %v", typ, err)
	}
	for name, b := range map[string][]byte{
		"empty":      nil,
		"text":       []byte("hello"),
		"truncated":  img[:20],
		"magic only": []byte("\xff\xd8\xff\xe0"),
		"too large":  append(append([]byte{}, img...), make([]byte, profiles.MaxAvatarSize)...),
	} {
		if _, err := profiles.AvatarType(b); !errors.Is(err, profiles.ErrBadAvatar) {
			t.Errorf("%s: %v, want ErrBadAvatar", name, err)
		}
	}
}
