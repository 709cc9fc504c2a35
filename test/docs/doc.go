// Package docs checks the documentation: the README's length, no paths of one machine in tracked files, and no broken relative links.
package docs
