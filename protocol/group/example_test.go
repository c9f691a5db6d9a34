package group_test

import (
	"crypto/rand"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/pigeon-net/pigeon/protocol/group"
	"github.com/pigeon-net/pigeon/protocol/identity"
)

// device makes an account with one certified device able to sign ops.
func device() (identity.AccountID, *group.Signer) {
	acct, _ := identity.NewAccount()
	key, _, _ := crypto.GenerateEd25519Key(rand.Reader)
	p, _ := peer.IDFromPrivateKey(key)
	signal := make([]byte, 33)
	signal[0] = 0x05
	cert, _ := acct.IssueCertificate(1, p, signal, time.Now())
	s, _ := group.NewSigner(key, cert)
	return acct.ID(), s
}

func Example() {
	alice, aliceDev := device()
	bob, bobDev := device()

	// Alice creates the group; its ID is the hash of this first op.
	create, _ := group.NewCreate("climbing", "Saturday trips", group.Settings{Add: group.Admins})
	genesis, _ := aliceDev.Genesis(uint64(time.Now().UnixMilli()), create)
	log, _ := group.NewLog(genesis)

	// She adds Bob: an op on top of the log's heads.
	add, _ := aliceDev.Sign(log.ID(), log.NextClock(uint64(time.Now().UnixMilli())), log.Heads(), &group.Add{Account: bob, Role: group.RoleMember})
	_, _ = log.Add(add)

	// Bob may not add members (only admins may); his op is kept but skipped.
	carol, _ := device()
	try, _ := bobDev.Sign(log.ID(), log.NextClock(0), log.Heads(), &group.Add{Account: carol, Role: group.RoleMember})
	_, _ = log.Add(try)

	s := log.State()
	fmt.Println(s.Name(), s.Len(), s.Role(alice), s.Role(bob), s.IsMember(carol))
	fmt.Println(log.Rejected(try.Hash))
	// Output:
	// climbing 2 owner member false
	// not allowed
}
