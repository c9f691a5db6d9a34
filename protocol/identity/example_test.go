package identity_test

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/identity"
)

// An account certifies a device and publishes its device list; anyone can
// open the record and find the device's Signal identity key.
func Example() {
	account, _ := identity.AccountFromSeed(bytes.Repeat([]byte{1}, 32)) // or identity.NewAccount()

	// The device's libp2p peer ID and Signal identity key (0x05 || 32 bytes).
	devKey, _ := crypto.UnmarshalEd25519PrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{2}, 32)))
	devPeer, _ := peer.IDFromPrivateKey(devKey)
	signalKey := append([]byte{0x05}, bytes.Repeat([]byte{3}, 32)...)

	signed, err := account.IssueCertificate(1, devPeer, signalKey, time.Now())
	if err != nil {
		panic(err)
	}
	cert, err := identity.VerifyCertificate(signed)
	if err != nil {
		panic(err)
	}
	record, err := account.SignDeviceList(&identity.DeviceList{Version: 1, Devices: []identity.Device{{Cert: cert}}})
	if err != nil {
		panic(err)
	}

	// What a sender does with the record it fetched from the DHT under
	// identity.DeviceListKey(account.ID()):
	list, err := identity.OpenDeviceList(record)
	if err != nil {
		panic(err)
	}
	dev, ok := list.ByPeer(devPeer)
	fmt.Println(list.Account == account.ID(), ok, dev.Cert.DeviceID, bytes.Equal(dev.Cert.SignalIdentityKey, signalKey))
	// Output: true true 1 true
}

func ExampleFormatSafetyNumber() {
	alice, _ := identity.AccountFromSeed(bytes.Repeat([]byte{1}, 32))
	bob, _ := identity.AccountFromSeed(bytes.Repeat([]byte{2}, 32))
	n := identity.SafetyNumber(alice.ID(), bob.ID())
	fmt.Println(identity.FormatSafetyNumber(n))
	// Output: 31987 24447 69890 37573 12704 13796 66957 69874 53863 14811 40074 55894
}

func ExampleParseAccountID() {
	a, _ := identity.AccountFromSeed(bytes.Repeat([]byte{1}, 32))
	text := a.ID().String()
	id, err := identity.ParseAccountID(text)
	fmt.Println(len(text), id == a.ID(), err)

	typo := text[:10] + "x" + text[11:]
	if text[10] == 'x' {
		typo = text[:10] + "y" + text[11:]
	}
	_, err = identity.ParseAccountID(typo)
	fmt.Println(err)
	// Output:
	// 60 true <nil>
	// parse account id: account id checksum mismatch (typo?)
}
