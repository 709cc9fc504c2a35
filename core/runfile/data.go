package runfile

import (
	"fmt"
	"strings"

	"nnesim/core/mnist"
)

// DataName is the attachment that names the data of a run on another
// dataset than MNIST: its mnist.DataID, a line break and where the data
// came from (a folder's name), for messages. A file without it learned
// from MNIST.
const DataName = "data"

// WithData returns file (a run or race file, with attachments or not)
// with the attachment naming its data (id, from) beside it; for MNIST's
// data (mnist.MNISTID) file as it is.
func WithData(file []byte, id, from string) ([]byte, error) {
	if id == mnist.MNISTID {
		return file, nil
	}
	return Attach(file, []Attachment{{Name: DataName, Data: []byte(id + "\n" + from)}})
}

// CheckData returns an error, saying which data the run learned from, if
// the run or race file b names other data than id (mnist.DataID of the
// data at hand; here names it in the message). Check b's runs first
// (Decode, Split): CheckData reads only its attachments.
func CheckData(b []byte, id, here string) error {
	_, atts, err := Detach(b)
	if err != nil {
		return err
	}
	want, from := mnist.MNISTID, ""
	for _, a := range atts {
		if a.Name == DataName {
			want, from, _ = strings.Cut(string(a.Data), "\n")
			if from == "" {
				from = "another dataset"
			}
		}
	}
	if want == id {
		return nil
	}
	learned := fmt.Sprintf("the run learned from %s (data %s)", from, want)
	if from == "" {
		learned = fmt.Sprintf("the file names no data, so the run learned from MNIST (data %s), or was written before run files named their data", want)
	}
	return fmt.Errorf("runfile: %s, and %s is other data (data %s): it would not continue the same run; load the run's data first", learned, here, id)
}
