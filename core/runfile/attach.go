package runfile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"nnesim/core/mnist"
)

// A file with attachments (version 5) holds a run or race file and named
// blobs beside it that are not part of any run: the digits a student drew
// (My digits), so that they travel with the exported run. Its body is the
// inner file's length, uint64, and the file; then the number of
// attachments, uint8, and per attachment its name (length uint8, bytes)
// and data (length uint32, bytes). Decode and Split read the inner file
// of such a file as if it stood alone.
const attachVersion = 5

// Bounds of attachments: how many, and the bytes of each (My digits'
// images at mnist.MaxMine drawings, with their header).
const (
	MaxAttachments     = 4
	MaxAttachmentBytes = 16 + mnist.MaxMine*mnist.Pixels
)

// The attachments' names of the drawn digits: an IDX pair, the test set's
// two files (mnist.Mine.IDX).
const (
	DrawnImages = "drawn/" + mnist.TestImagesName
	DrawnLabels = "drawn/" + mnist.TestLabelsName
)

// Attachment is a named blob beside a run.
type Attachment struct {
	Name string
	Data []byte
}

// Attach returns file (a run or race file) with atts beside it; with no
// attachment, file as it is. A file that has attachments keeps them,
// but those of the names in atts, which atts replace. Attachments beyond
// the bounds are an error.
func Attach(file []byte, atts []Attachment) ([]byte, error) {
	if len(atts) == 0 {
		return file, nil
	}
	inner, had, err := Detach(file)
	if err != nil {
		return nil, err
	}
	var kept []Attachment
	for _, a := range had {
		if !slices.ContainsFunc(atts, func(b Attachment) bool { return b.Name == a.Name }) {
			kept = append(kept, a)
		}
	}
	atts, file = append(kept, atts...), inner
	if len(atts) > MaxAttachments {
		return nil, fmt.Errorf("runfile: %d attachments, at most %d", len(atts), MaxAttachments)
	}
	var body bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&body, le, uint64(len(file))) // bytes.Buffer writes never fail
	body.Write(file)
	body.WriteByte(byte(len(atts)))
	for _, a := range atts {
		if len(a.Name) == 0 || len(a.Name) > 255 || len(a.Data) > MaxAttachmentBytes {
			return nil, fmt.Errorf("runfile: attachment %q of %d bytes (want a name of 1 to 255 bytes and at most %d bytes)", a.Name, len(a.Data), MaxAttachmentBytes)
		}
		body.WriteByte(byte(len(a.Name)))
		body.WriteString(a.Name)
		binary.Write(&body, le, uint32(len(a.Data)))
		body.Write(a.Data)
	}
	return withHeader(attachVersion, body.Bytes()), nil
}

// Detach returns the run or race file inside b and its attachments; a
// file without attachments is returned as it is. A damaged file with
// attachments is an error.
func Detach(b []byte) ([]byte, []Attachment, error) {
	le := binary.LittleEndian
	if len(b) < runHeaderSize || string(b[:8]) != runMagic || le.Uint32(b[8:]) != attachVersion {
		return b, nil, nil
	}
	fail := func(format string, a ...any) ([]byte, []Attachment, error) {
		return nil, nil, fmt.Errorf("%w: %s", errRunFile, fmt.Sprintf(format, a...))
	}
	body, bad := sealed(b)
	if bad != "" {
		return fail("%s", bad)
	}
	r := reader{b: body}
	l := r.u64()
	if r.err == nil && l > uint64(len(body)) {
		return fail("truncated: a run of %d bytes announced", l)
	}
	inner := r.bytes(int(l))
	count := r.u8()
	if r.err != nil {
		return fail("%v", r.err)
	}
	if count == 0 || count > MaxAttachments {
		return fail("%d attachments, want 1 to %d", count, MaxAttachments)
	}
	if len(inner) >= runHeaderSize && le.Uint32(inner[8:]) == attachVersion {
		return fail("attachments inside attachments")
	}
	atts := make([]Attachment, count)
	for i := range atts {
		name := string(r.bytes(int(r.u8())))
		n := r.u32()
		if r.err == nil && n > MaxAttachmentBytes {
			return fail("attachment %d of %d bytes, at most %d", i+1, n, MaxAttachmentBytes)
		}
		atts[i] = Attachment{Name: name, Data: r.bytes(int(n))}
		if r.err != nil {
			return fail("attachment %d: %v", i+1, r.err)
		}
	}
	if r.off != len(body) {
		return fail("%d unexpected bytes after the attachments", len(body)-r.off)
	}
	return inner, atts, nil
}

// Drawn returns the drawn digits attached to b as an IDX pair, or nil
// and nil if it holds none.
func Drawn(b []byte) (images, labels []byte, err error) {
	_, atts, err := Detach(b)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range atts {
		switch a.Name {
		case DrawnImages:
			images = a.Data
		case DrawnLabels:
			labels = a.Data
		}
	}
	if (images == nil) != (labels == nil) {
		return nil, nil, fmt.Errorf("%w: drawn digits without their labels, or labels without images", errRunFile)
	}
	return images, labels, nil
}
