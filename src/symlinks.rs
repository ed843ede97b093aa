//! The one rule for symbolic links in a project (content, the theme, `favicon:`): where a
//! link may lead. A leaf module, so that the configuration's checks and loading share it.

use std::path::{Path, PathBuf};

/// The project folder with its symbolic links resolved, for [`leads_inside`].
pub fn resolved_root(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

/// Whether `path`, its symbolic links followed, is inside the project folder `resolved_root`
/// (from [`resolved_root`]): the one rule for links in `content/`, the theme and `favicon:`.
pub fn leads_inside(path: &Path, resolved_root: &Path) -> bool {
    path.canonicalize().is_ok_and(|real| real.starts_with(resolved_root))
}
