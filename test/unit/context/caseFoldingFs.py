#!/usr/bin/python3
"""A FUSE file system over a backing folder that looks names up without regard to case and keeps the case they
were made with, as macOS's and Windows's default file systems do: the unit tests' case-insensitive disk
(caseFoldingMount.ts). Usage: caseFoldingFs.py BACKING MOUNTPOINT (stays in the foreground; prints `mounted`
once the file system answers; SIGTERM unmounts it). Needs Debian's python3-fusepy and /dev/fuse."""
import os
import sys

from fusepy import FUSE, Operations


class CaseFolding(Operations):
    def __init__(self, backing):
        self.backing = os.path.realpath(backing)

    def real(self, path):
        """The backing path of `path`: each name as the backing folder spells it, matched without regard to case."""
        parts = [p for p in path.split('/') if p]
        at = self.backing
        for i, part in enumerate(parts):
            exact = os.path.join(at, part)
            if os.path.lexists(exact):
                at = exact
                continue
            try:
                names = os.listdir(at)
            except OSError:
                return os.path.join(at, *parts[i:])
            match = next((n for n in names if n.lower() == part.lower()), None)
            if match is None:
                return os.path.join(at, *parts[i:])
            at = os.path.join(at, match)
        return at

    def init(self, path):
        print('mounted', flush=True)

    def getattr(self, path, fh=None):
        st = os.lstat(self.real(path))
        keys = ('st_atime', 'st_ctime', 'st_mtime', 'st_gid', 'st_uid', 'st_mode', 'st_nlink', 'st_size', 'st_ino')
        return {k: getattr(st, k) for k in keys}

    def readdir(self, path, fh):
        # Each name with its type (d_type), as a disk's listing has it: a watcher's crawl tells folders from files by it.
        folder = self.real(path)
        yield '.'
        yield '..'
        for entry in os.scandir(folder):
            st = entry.stat(follow_symlinks=False)
            yield entry.name, {'st_mode': st.st_mode, 'st_ino': st.st_ino}, 0

    def readlink(self, path):
        return os.readlink(self.real(path))

    def mkdir(self, path, mode):
        os.mkdir(self.real(path), mode)

    def rmdir(self, path):
        os.rmdir(self.real(path))

    def unlink(self, path):
        os.unlink(self.real(path))

    def symlink(self, name, target):
        os.symlink(target, self.real(name))

    def rename(self, old, new):
        source = self.real(old)
        target = self.real(new)
        if os.path.lexists(target) and os.path.samefile(source, target):
            # The same name in other case: the name's case changes.
            target = os.path.join(os.path.dirname(target), os.path.basename(new))
        os.rename(source, target)

    def chmod(self, path, mode):
        os.chmod(self.real(path), mode)

    def chown(self, path, uid, gid):
        os.chown(self.real(path), uid, gid)

    def truncate(self, path, length, fh=None):
        os.truncate(self.real(path), length)

    def utimens(self, path, times=None):
        os.utime(self.real(path), times)

    def open(self, path, flags):
        return os.open(self.real(path), flags)

    def create(self, path, mode, fi=None):
        return os.open(self.real(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)

    def read(self, path, size, offset, fh):
        return os.pread(fh, size, offset)

    def write(self, path, data, offset, fh):
        return os.pwrite(fh, data, offset)

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        os.close(fh)
        return 0

    def fsync(self, path, datasync, fh):
        os.fsync(fh)
        return 0

    def statfs(self, path):
        s = os.statvfs(self.backing)
        keys = ('f_bavail', 'f_bfree', 'f_blocks', 'f_bsize', 'f_favail', 'f_ffree', 'f_files', 'f_flag', 'f_frsize', 'f_namemax')
        return {k: getattr(s, k) for k in keys}


if __name__ == '__main__':
    # hard_remove: a file unlinked while open goes at once (not hidden as .fuse_hidden*, which a recursive delete
    # of its folder would chase for ever). No timeouts: the kernel caches no name, attribute or absence (its cache
    # matches names exactly, so a name cached before a case-only rename would still lead to the old file).
    FUSE(CaseFolding(sys.argv[1]), sys.argv[2], foreground=True, nothreads=True, use_ino=True, hard_remove=True,
         entry_timeout=0, attr_timeout=0, negative_timeout=0)
