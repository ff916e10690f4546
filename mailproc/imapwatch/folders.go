package imapwatch

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Folders the daemon writes into (the sent, processed, failed and lease
// folders) are created when missing, and always before the command that
// writes into them: a server answers an APPEND into a missing folder with
// NO [TRYCREATE], and when the message goes as a synchronizing literal (one
// over 4096 bytes, or any without LITERAL+/LITERAL-) it answers before the
// client sent the message, and the client (go-imap) then drops the
// connection. Creating the folder after that answer is too late: it would
// need a new connection. So a writer checks its folder once per connection
// (folderSet.ensure), and on a later TRYCREATE (the folder was deleted
// meanwhile) forgets it and creates it again (withFolder).

// folderSet remembers, for one connection, which folders are known to
// exist, so that a folder is looked up once per connection, not before
// every command. Its zero value is ready; a new connection starts it
// afresh. It is not safe for concurrent use (a Side's folderSet is used
// under the Side's lock).
type folderSet struct {
	// log, if set, notes each folder created.
	log   *slog.Logger
	conn  *imapclient.Client
	known map[string]bool
}

// ensure makes sure folder exists on c's server: unless already known on
// this connection, it looks it up and creates it when missing
// (ensureFolder).
func (fs *folderSet) ensure(c *imapclient.Client, folder string) error {
	if fs.conn != c {
		fs.conn, fs.known = c, nil
	}
	if fs.known[folder] {
		return nil
	}
	created, err := ensureFolder(c, folder)
	if err != nil {
		return err
	}
	if created && fs.log != nil {
		fs.log.Info("created missing IMAP folder", slog.String("folder", folder))
	}
	if fs.known == nil {
		fs.known = make(map[string]bool)
	}
	fs.known[folder] = true
	return nil
}

// forget drops folder from the known folders: it was found missing (deleted
// meanwhile), and the next ensure looks it up again.
func (fs *folderSet) forget(folder string) {
	delete(fs.known, folder)
}

// withFolder runs op, a command writing into folder, on c after making sure
// the folder exists (fs.ensure). When op finds the folder missing all the
// same (TRYCREATE: deleted since it was looked up), the folder is forgotten
// and, if the connection survived the refusal, created and op run once
// more; if the connection did not survive, op's error is returned as it is,
// for the caller to reconnect and call again (Side.Do does), which creates
// the folder on the new connection.
func withFolder(c *imapclient.Client, fs *folderSet, folder string, op func() error) error {
	if err := fs.ensure(c, folder); err != nil {
		return err
	}
	err := op()
	if !isTryCreate(err) {
		return err
	}
	fs.forget(folder)
	if connClosed(c) {
		return err
	}
	if err := fs.ensure(c, folder); err != nil {
		return err
	}
	return op()
}

// isTryCreate reports whether err is the server's answer that the target
// folder does not exist and could be created (NO [TRYCREATE]).
func isTryCreate(err error) bool {
	var ierr *imap.Error
	return errors.As(err, &ierr) && ierr.Code == imap.ResponseCodeTryCreate
}

// connClosed reports whether c's connection has ended.
func connClosed(c *imapclient.Client) bool {
	select {
	case <-c.Closed():
		return true
	default:
		return false
	}
}

// ensureFolder makes sure folder exists, creating it when a LIST does not
// find it, and reports whether it created it.
func ensureFolder(c *imapclient.Client, folder string) (created bool, err error) {
	ok, err := folderExists(c, folder)
	if err != nil || ok {
		return false, err
	}
	if err := createFolder(c, folder); err != nil {
		return false, err
	}
	return true, nil
}

// createFolder creates folder. When the server refuses, another client
// may have created it since it was found missing, which is as good: the
// server says so (NO [ALREADYEXISTS]), or, when it lacks that code, a
// second LIST finds the folder.
func createFolder(c *imapclient.Client, folder string) error {
	cerr := c.Create(folder, nil).Wait()
	var ierr *imap.Error
	switch {
	case cerr == nil:
		return nil
	case !errors.As(cerr, &ierr) || connClosed(c):
		return fmt.Errorf("imapwatch: create folder %q: %w", folder, cerr)
	case ierr.Code == imap.ResponseCodeAlreadyExists:
		return nil
	}
	ok, err := folderExists(c, folder)
	if err != nil {
		return fmt.Errorf("imapwatch: create folder %q: %w (%w)", folder, cerr, err)
	}
	if !ok {
		return fmt.Errorf("imapwatch: create folder %q: %w", folder, cerr)
	}
	return nil
}

// folderExists reports whether folder exists and can hold messages (LIST
// finds it without \Noselect or \NonExistent).
func folderExists(c *imapclient.Client, folder string) (bool, error) {
	// A name with LIST's wildcards (* %) may match other folders too:
	// only the exact name counts.
	list, err := c.List("", folder, nil).Collect()
	if err != nil {
		return false, fmt.Errorf("imapwatch: look up folder %q: %w", folder, err)
	}
	for _, m := range list {
		if !sameFolder(m.Mailbox, folder) {
			continue
		}
		for _, a := range m.Attrs {
			if a == imap.MailboxAttrNoSelect || a == imap.MailboxAttrNonExistent {
				return false, nil
			}
		}
		return true, nil
	}
	return false, nil
}

// sameFolder compares folder names as the server does: exactly, except
// INBOX, which is case-insensitive.
func sameFolder(a, b string) bool {
	if strings.EqualFold(a, "INBOX") {
		return strings.EqualFold(b, "INBOX")
	}
	return a == b
}
