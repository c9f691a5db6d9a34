package post

import (
	"context"
	"errors"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/pigeon-net/pigeon/node/internal/rt"
	"github.com/pigeon-net/pigeon/protocol/delivery"
	"github.com/pigeon-net/pigeon/protocol/e2e"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
	"github.com/pigeon-net/pigeon/storage"
)

// ephemeralTimeout bounds sending one ephemeral content to one device.
const ephemeralTimeout = 2 * time.Second

// ephemeral sends contents that are never stored or queued (typing
// indicators). It is part of the delivery runtime.
type ephemeral struct{ n *env }

// send sends content to every device of to that is connected now
// and has a session with us: no dialling, no queueing, nothing stored. It
// fails only when to's device list cannot be found; copies that do not
// arrive are dropped.
func (e ephemeral) send(ctx context.Context, to identity.AccountID, id storage.MessageID, content []byte) error {
	n := e.n
	list, err := n.resolver.Get(ctx, rt.CoreAccount(to), false)
	if err != nil {
		return err
	}
	var errs []error
	for _, d := range list.Devices {
		if n.host.Network().Connectedness(d.Cert.PeerID) != network.Connected {
			continue // ephemeral: no dialling, no queueing
		}
		addr := e2e.Address{Account: to, Device: d.Cert.DeviceID}
		if ok, err := n.e2e.HasSession(ctx, addr); err != nil || !ok {
			continue // no conversation yet: nothing to type into
		}
		if err := e.sendTo(ctx, addr, d, id, content); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		n.log.Debug("ephemeral content not delivered", "err", err)
	}
	return nil
}

// send encrypts content for one device and sends it directly.
func (e ephemeral) sendTo(ctx context.Context, addr e2e.Address, d identity.Device, id storage.MessageID, content []byte) error {
	n := e.n
	ctx, cancel := context.WithTimeout(ctx, ephemeralTimeout)
	defer cancel()
	typ, ct, err := n.e2e.Encrypt(ctx, addr, content, nil)
	if err != nil {
		return err
	}
	env := &pb.Envelope{
		MessageId:         id[:],
		SenderAccount:     n.self[:],
		SenderDevice:      n.device,
		RecipientAccount:  addr.Account[:],
		RecipientDevice:   addr.Device,
		Type:              typ,
		Ciphertext:        ct,
		SenderListVersion: n.ownVersion(),
	}
	if typ == delivery.TypePreKeySignal {
		env.SenderCertificate = n.cert.Signed
	}
	return n.client.SendWait(ctx, d.Cert.PeerID, env)
}
