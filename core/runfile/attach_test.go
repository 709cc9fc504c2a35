package runfile

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"strings"
	"testing"

	"nnesim/core/learner"
	"nnesim/core/mnist"
	"nnesim/wasm/budget"
)

// TestAttach checks that a run or race file with drawn digits beside it
// reads as the file alone (Decode, Split), that Drawn gives the digits
// back, and that a file without attachments has none.
func TestAttach(t *testing.T) {
	sv := smallSaved(t)
	run := Encode(sv)
	images, labels := []byte("images-idx"), []byte("labels-idx")
	b, err := Attach(run, []Attachment{{DrawnImages, images}, {DrawnLabels, labels}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(b, 1<<30)
	if err != nil || !reflect.DeepEqual(got, sv) {
		t.Fatalf("Decode of a run with attachments: %v, %+v", err, got)
	}
	files, runs, err := Split(b, 1<<30, budget.Shares(1<<30, 2))
	if err != nil || len(runs) != 1 || !bytes.Equal(files[0], run) {
		t.Fatalf("Split of a run with attachments: %v, %d runs", err, len(runs))
	}
	gi, gl, err := Drawn(b)
	if err != nil || !bytes.Equal(gi, images) || !bytes.Equal(gl, labels) {
		t.Errorf("Drawn: %q, %q, %v", gi, gl, err)
	}
	if gi, gl, err := Drawn(run); gi != nil || gl != nil || err != nil {
		t.Errorf("Drawn of a plain run file: %q, %q, %v", gi, gl, err)
	}
	if same, err := Attach(run, nil); err != nil || !bytes.Equal(same, run) {
		t.Errorf("Attach of nothing changed the file (%v)", err)
	}
	// A race with attachments splits into its runs.
	nne := smallSaved(t)
	nne.Settings.Digits = "0-9"
	race := EncodeRace([]*learner.Saved{nne, lifetimeSaved(t, "dnn")})
	rb, _ := Attach(race, []Attachment{{DrawnImages, images}, {DrawnLabels, labels}})
	if _, runs, err := Split(rb, 1<<30, budget.Shares(1<<30, 2)); err != nil || len(runs) != 2 {
		t.Errorf("Split of a race with attachments: %v, %d runs", err, len(runs))
	}
}

// TestDetachRefuses checks the damaged files and the bounds.
func TestDetachRefuses(t *testing.T) {
	run := Encode(smallSaved(t))
	good, _ := Attach(run, []Attachment{{DrawnImages, []byte{1}}, {DrawnLabels, []byte{2}}})
	flip := func(b []byte, i int) []byte { c := bytes.Clone(b); c[i] ^= 1; return c }
	// A file with attachments inside another: Attach merges instead, so
	// the test writes it by hand.
	var nb bytes.Buffer
	binary.Write(&nb, binary.LittleEndian, uint64(len(good)))
	nb.Write(good)
	nb.Write([]byte{1, 1, 'x', 0, 0, 0, 0})
	nested := withHeader(attachVersion, nb.Bytes())
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"a flipped byte", flip(good, len(good)-1), "checksum mismatch"},
		{"truncated", reseal(bytes.Clone(good[:len(good)-1])), "attachment 2"},
		{"trailing bytes", reseal(append(bytes.Clone(good), 0)), "1 unexpected bytes after the attachments"},
		{"attachments inside attachments", nested, "attachments inside attachments"},
		{"no attachment", reseal(append(bytes.Clone(good[:runHeaderSize+8+len(run)]), 0)), "0 attachments, want 1 to 4"},
	} {
		if _, err := Decode(tc.b, 1<<30); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := Attach(run, make([]Attachment, MaxAttachments+1)); err == nil {
		t.Error("too many attachments accepted")
	}
	if _, err := Attach(run, []Attachment{{DrawnImages, make([]byte, MaxAttachmentBytes+1)}}); err == nil {
		t.Error("an attachment over the bound accepted")
	}
	only, _ := Attach(run, []Attachment{{DrawnImages, []byte{1}}})
	if _, _, err := Drawn(only); err == nil || !strings.Contains(err.Error(), "without their labels") {
		t.Errorf("images without labels: %v", err)
	}
}

// TestAttachMerges checks that attaching to a file with attachments
// keeps them, and that an attachment of the same name replaces the old.
func TestAttachMerges(t *testing.T) {
	run := Encode(sgdRun(t))
	a, err := Attach(run, []Attachment{{DrawnImages, []byte{1}}, {DrawnLabels, []byte{2}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Attach(a, []Attachment{{DataName, []byte("id\nx")}, {DrawnLabels, []byte{3}}})
	if err != nil {
		t.Fatal(err)
	}
	inner, atts, err := Detach(b)
	if err != nil || !bytes.Equal(inner, run) {
		t.Fatalf("detach: %v", err)
	}
	var got []string
	for _, x := range atts {
		got = append(got, x.Name+"="+string(x.Data))
	}
	// The kept one first, in its order, then the new ones in theirs.
	if want := []string{DrawnImages + "=\x01", DataName + "=id\nx", DrawnLabels + "=\x03"}; !reflect.DeepEqual(got, want) {
		t.Errorf("attachments %q, want %q", got, want)
	}
}

// TestCheckData checks that a run file of another dataset names it, that
// it continues only on that data, and that a file naming none is MNIST's.
func TestCheckData(t *testing.T) {
	run := Encode(sgdRun(t))
	if err := CheckData(run, mnist.MNISTID, "MNIST"); err != nil {
		t.Errorf("an MNIST run on MNIST: %v", err)
	}
	if err := CheckData(run, "abcdef0123456789", "the data here"); err == nil || !strings.Contains(err.Error(), "the run learned from MNIST (data "+mnist.MNISTID+"), or was written before run files named their data, and the data here is other data (data abcdef0123456789)") {
		t.Errorf("an MNIST run on other data: %v", err)
	}
	same, err := WithData(run, mnist.MNISTID, "MNIST")
	if err != nil || !bytes.Equal(same, run) {
		t.Errorf("MNIST's data is attached: %v", err)
	}
	inv, err := WithData(run, "abcdef0123456789", "inverted")
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckData(inv, "abcdef0123456789", "x"); err != nil {
		t.Errorf("a dataset's run on its data: %v", err)
	}
	if err := CheckData(inv, mnist.MNISTID, "MNIST"); err == nil || !strings.Contains(err.Error(), "learned from inverted (data abcdef0123456789), and MNIST is other data") {
		t.Errorf("a dataset's run on MNIST: %v", err)
	}
	if inner, _, err := Detach(inv); err != nil || !bytes.Equal(inner, run) {
		t.Errorf("the run inside: %v", err)
	}
}

// sgdRun is a valid run file's content: SGD's defaults at epoch 1.
func sgdRun(t *testing.T) *learner.Saved {
	t.Helper()
	s, err := learner.Defaults("sgd", "")
	if err != nil {
		t.Fatal(err)
	}
	return &learner.Saved{Settings: s, Step: 1}
}
