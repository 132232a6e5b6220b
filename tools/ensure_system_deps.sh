#!/bin/sh
# What `make test` needs besides Python: LibreOffice Writer (the PDF tests), Arial-metric fonts
# (Liberation Sans) and poppler (pdftotext, pdftoppm).
#
# Silent and quick when they are all there.  Otherwise installs them with apt-get -- as root, or
# through `sudo -n` when that needs no password -- with apt's output in a log file, or stops with
# one line on stderr saying how to install them (exit 1).
#
# LibreOffice counts as present when EHE_LETTERS_SOFFICE names its soffice program (as for the
# toolkit itself), or when it is found where the toolkit looks for it (find_soffice).
set -u

PACKAGES="libreoffice-writer-nogui fonts-liberation2 poppler-utils"
NEEDED="LibreOffice Writer, Arial-metric fonts and poppler are needed"
HOW="install them: sudo apt-get install $PACKAGES (macOS: brew install --cask libreoffice; brew install poppler)"

stop() {  # stop "what went wrong": the one line, then exit 1
    echo "make test: $NEEDED ($1); $HOW" >&2
    exit 1
}

runnable() {  # a program name found on PATH, or the path of an executable file
    case $1 in
        */*) [ -f "$1" ] && [ -x "$1" ] ;;
        *) found=$(command -v -- "$1" 2>/dev/null) && [ -f "$found" ] && [ -x "$found" ] ;;
    esac
}

have_libreoffice() {
    if [ -n "${EHE_LETTERS_SOFFICE:-}" ]; then
        runnable "$EHE_LETTERS_SOFFICE"
        return
    fi
    for program in soffice libreoffice /usr/lib/libreoffice/program/soffice \
        /opt/libreoffice*/program/soffice /Applications/LibreOffice.app/Contents/MacOS/soffice; do
        runnable "$program" && return 0
    done
    return 1
}

have_fonts() {
    if command -v fc-list >/dev/null 2>&1; then  # what LibreOffice itself will find
        fc-list "Liberation Sans" file 2>/dev/null | grep -q .
        return
    fi
    for folder in /usr/share/fonts /usr/local/share/fonts "$HOME/.local/share/fonts" \
        "$HOME/.fonts" /Library/Fonts "$HOME/Library/Fonts"; do
        [ -d "$folder" ] && find "$folder" -iname 'LiberationSans-Regular.ttf' 2>/dev/null | grep -q . &&
            return 0
    done
    return 1
}

missing() {  # prints what is missing, comma-separated; nothing when all is there
    list=""
    have_libreoffice || list="$list, soffice"
    have_fonts || list="$list, Liberation Sans fonts"
    runnable pdftotext || list="$list, pdftotext"
    runnable pdftoppm || list="$list, pdftoppm"
    printf '%s' "${list#, }"
}

lacking=$(missing)
[ -z "$lacking" ] && exit 0

if [ -n "${EHE_LETTERS_SOFFICE:-}" ] && ! have_libreoffice; then
    stop "EHE_LETTERS_SOFFICE=$EHE_LETTERS_SOFFICE is not a program that can be run"
fi
runnable apt-get || stop "missing: $lacking; no apt-get here"
if [ "$(id -u)" = 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    as_root="sudo -n"
else
    stop "missing: $lacking; not root, and no sudo without a password"
fi

log=$(mktemp "${TMPDIR:-/tmp}/ehe-letters-apt.XXXXXX") || stop "missing: $lacking; cannot create a log file"
echo "make test: missing $lacking; installing $PACKAGES with apt-get (log: $log)" >&2
apt_get() {  # $as_root is unquoted on purpose: empty, or "sudo -n"
    $as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 "$@" \
        >>"$log" 2>&1 </dev/null
}
# shellcheck disable=SC2086 # $PACKAGES is a list of words
if ! apt_get update || ! apt_get install -y --no-install-recommends $PACKAGES; then
    stop "missing: $lacking; apt-get failed, see $log"
fi
lacking=$(missing)
[ -z "$lacking" ] || stop "still missing after apt-get: $lacking; see $log"
rm -f "$log"
