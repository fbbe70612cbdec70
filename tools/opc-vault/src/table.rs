//! Aligned text tables for operators (`list`, `provision`'s final table).

/// Renders `rows` under `headers`, each column as wide as its widest cell, two spaces
/// apart, without trailing spaces.
#[must_use]
pub fn render(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(width) = widths.get_mut(i) {
                *width = (*width).max(cell.chars().count());
            }
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            let pad = widths
                .get(i)
                .copied()
                .unwrap_or(0)
                .saturating_sub(cell.chars().count());
            text.extend(std::iter::repeat_n(' ', pad));
        }
        let mut text = text.trim_end().to_owned();
        text.push('\n');
        text
    };
    let mut out = line(&mut headers.iter().copied());
    for row in rows {
        out.push_str(&line(&mut row.iter().map(String::as_str)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_as_wide_as_their_widest_cell_and_lines_have_no_trailing_spaces() {
        let text = render(
            &["MODULE", "STATUS"],
            &[
                vec!["opcplc".to_owned(), "applied".to_owned()],
                vec!["certagent:dotnetplc".to_owned(), "timeout".to_owned()],
            ],
        );
        assert_eq!(
            text,
            "MODULE               STATUS\n\
             opcplc               applied\n\
             certagent:dotnetplc  timeout\n"
        );
    }
}
