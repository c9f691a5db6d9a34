package link_test

import (
	"context"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p"
	"go.mau.fi/libsignal/util/keyhelper"
	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/link"
)

// An existing device offers a code; a new device joins with it. The
// existing device's ConfirmFunc is where a node asks its user, comparing
// the confirmation codes, then issues the certificate and publishes the
// new device list.
func Example() {
	// The existing device holds the account key and is device 1.
	account, _ := identity.NewAccount()
	existing, _ := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	defer existing.Close()
	ownKey, _ := keyhelper.GenerateIdentityKeyPair()
	own, _ := account.IssueCertificate(1, existing.ID(), ownKey.PublicKey().Serialize(), time.Now())
	ownCert, _ := identity.VerifyCertificate(own)

	shown := make(chan string, 1) // the confirmation code the existing device shows
	offers := link.NewOffers(nil)
	svc, _ := link.NewService(existing, offers, func(ctx context.Context, req link.Request) (link.Grant, error) {
		shown <- req.SAS // ask the user here; on no, return link.ErrDeclined
		signed, err := account.IssueCertificate(2, req.Peer, req.SignalKey, time.Now())
		if err != nil {
			return link.Grant{}, err
		}
		cert, _ := identity.VerifyCertificate(signed)
		list, err := account.SignDeviceList(&identity.DeviceList{Version: 2, Devices: []identity.Device{{Cert: ownCert}, {Cert: cert}}})
		if err != nil {
			return link.Grant{}, err
		}
		raw, _ := proto.Marshal(signed)
		return link.Grant{DeviceID: 2, Certificate: raw, DeviceList: list}, nil
	})
	defer svc.Close()

	code, _ := link.NewCode(account.ID(), existing.ID(), existing.Addrs(), time.Now().Add(link.DefaultCodeLifetime))
	if err := offers.Add(code); err != nil {
		fmt.Println(err)
		return
	}
	text := code.String() // shown as text or a QR code (QRText)

	// The new device has its own host and Signal identity, and the text.
	newDevice, _ := libp2p.New(libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0"))
	defer newDevice.Close()
	key, _ := keyhelper.GenerateIdentityKeyPair()
	parsed, err := link.ParseCode(text)
	if err != nil {
		fmt.Println(err)
		return
	}
	var sas string
	linked, err := link.Join(context.Background(), newDevice, parsed,
		link.JoinRequest{SignalKey: key.PublicKey().Serialize(), Name: "laptop", Platform: "linux"},
		func(s string) { sas = s })
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("same confirmation code on both devices:", sas == <-shown)
	fmt.Println("linked as device", linked.Cert.DeviceID, "of", len(linked.List.Devices))
	_, err = link.Join(context.Background(), newDevice, parsed, link.JoinRequest{SignalKey: key.PublicKey().Serialize(), Name: "laptop"}, nil)
	fmt.Println(err)
	// Output:
	// same confirmation code on both devices: true
	// linked as device 2 of 2
	// link device: link code already used: make a new code on the existing device
}
