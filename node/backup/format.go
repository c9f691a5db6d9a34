package backup

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"google.golang.org/protobuf/proto"

	"github.com/pigeon-net/pigeon/protocol/acctlog"
	"github.com/pigeon-net/pigeon/protocol/identity"
	"github.com/pigeon-net/pigeon/protocol/pb"
)

// Item names of a node's backup.
const (
	ItemAccount = "account"
	// ItemOps is the account log: items ItemOps/DEVICE/FIRST (opsItems);
	// ItemOps alone in a backup made before it was cut into items.
	ItemOps = "acctlog"
	// ItemGroups is the state of the account's groups (each group's
	// welcome: members' device lists and its log), length-prefixed like
	// the ops.
	ItemGroups = "groups"
)

// maxAccountItem bounds the account item: a seed and a device list.
const maxAccountItem = 2*identity.MaxDeviceListSize + 1024

// ErrBadBackup wraps what is wrong with a backup's contents (its
// repository authenticated it: a bug, or a backup of another program).
var ErrBadBackup = errors.New("backup contents unreadable")

// Account is the account item, decoded.
type Account struct {
	Seed       []byte
	DeviceList []byte // signed record
	List       *identity.DeviceList
	Device     uint32 // the device that made the backup
}

func encodeAccount(a *pb.BackupAccount) ([]byte, error) { return proto.Marshal(a) }

// DecodeAccount reads an account item and checks that its device list is
// the account's, signed by its key.
func DecodeAccount(raw []byte) (Account, error) {
	if len(raw) > maxAccountItem {
		return Account{}, fmt.Errorf("%w: account item of %d bytes", ErrBadBackup, len(raw))
	}
	var m pb.BackupAccount
	if err := proto.Unmarshal(raw, &m); err != nil {
		return Account{}, fmt.Errorf("%w: account item: %v", ErrBadBackup, err)
	}
	acct, err := identity.AccountFromSeed(m.AccountSeed)
	if err != nil {
		return Account{}, fmt.Errorf("%w: account key: %v", ErrBadBackup, err)
	}
	list, err := identity.OpenDeviceList(m.DeviceList)
	if err != nil {
		return Account{}, fmt.Errorf("%w: device list: %v", ErrBadBackup, err)
	}
	if list.Account != acct.ID() {
		return Account{}, fmt.Errorf("%w: the device list is another account's", ErrBadBackup)
	}
	return Account{Seed: m.AccountSeed, DeviceList: m.DeviceList, List: list, Device: m.Device}, nil
}

// writeOp appends one signed operation to the ops item.
func writeOp(w io.Writer, raw []byte) error {
	var n [binary.MaxVarintLen64]byte
	if _, err := w.Write(n[:binary.PutUvarint(n[:], uint64(len(raw)))]); err != nil {
		return err
	}
	_, err := w.Write(raw)
	return err
}

// OpsReader reads the ops item one signed operation at a time.
type OpsReader struct{ r *bufio.Reader }

// NewOpsReader reads the ops item from r.
func NewOpsReader(r io.Reader) *OpsReader { return &OpsReader{r: bufio.NewReader(r)} }

// Next returns the next signed operation, or io.EOF after the last. An
// operation over acctlog.MaxOpSize is an error: nothing that large was
// written.
func (o *OpsReader) Next() ([]byte, error) {
	n, err := binary.ReadUvarint(o.r)
	if errors.Is(err, io.EOF) {
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("%w: ops item: %v", ErrBadBackup, err)
	}
	if n == 0 || n > acctlog.MaxOpSize {
		return nil, fmt.Errorf("%w: an operation of %d bytes", ErrBadBackup, n)
	}
	raw := make([]byte, n)
	if _, err := io.ReadFull(o.r, raw); err != nil {
		return nil, fmt.Errorf("%w: ops item cut short: %v", ErrBadBackup, err)
	}
	return raw, nil
}
