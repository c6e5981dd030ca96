//! User and group names from `/etc/passwd` and `/etc/group`, as `stat %U`
//! shows them; `UNKNOWN` when there is no entry (GNU's word), except that
//! id 0 is always `root` (a sandbox has no passwd file but reports 0).

fn lookup(file: &str, id: u32) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    text.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id_field = fields.nth(1)?;
        (id_field.parse::<u32>().ok()? == id).then(|| name.to_owned())
    })
}

/// Name of user `uid`.
pub fn user(uid: u32) -> String {
    lookup("/etc/passwd", uid).unwrap_or_else(|| {
        if uid == 0 {
            "root".into()
        } else {
            "UNKNOWN".into()
        }
    })
}

/// Name of group `gid`.
pub fn group(gid: u32) -> String {
    lookup("/etc/group", gid).unwrap_or_else(|| {
        if gid == 0 {
            "root".into()
        } else {
            "UNKNOWN".into()
        }
    })
}
