//! The assets pane's columns fitted to its width: the configured ones in their order, the id
//! left out (the detail pane shows it), times as ages, the group left out, status down to its
//! symbol, then the others left out, the last first, until the name has room; the name takes
//! what is left.

use crate::config::Column;

/// The least room a name keeps before other columns give way.
const NAME_ROOM: u16 = 16;

/// How a column is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Whole: a status's word, a time as local date and time.
    Full,
    /// Narrow: a status's symbol, a time as an age (`5m`, `3h`, `2d`).
    Short,
}

/// A column placed: what, how, and its width in cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    /// The column.
    pub column: Column,
    /// Whole or narrow.
    pub form: Form,
    /// Its width.
    pub width: u16,
}

impl Placed {
    /// The column's header, cut to its width.
    pub fn header(&self) -> &'static str {
        match (self.column, self.form) {
            (Column::Name, _) => "Name",
            (Column::Status, Form::Full) => "Status",
            (Column::Status, Form::Short) => "",
            (Column::Type, _) => "Type",
            (Column::Created, Form::Full) => "Created",
            (Column::Created, Form::Short) => "Age",
            (Column::Updated, Form::Full) => "Updated",
            (Column::Updated, Form::Short) => "Upd",
            (Column::Id, _) => "Id",
            (Column::Group, _) => "Group",
        }
    }
}

/// The width of `column` drawn in `form` (the name's is what is left).
fn width_of(column: Column, form: Form) -> u16 {
    match (column, form) {
        (Column::Name, _) => NAME_ROOM,
        (Column::Status, Form::Full) => 12,
        (Column::Status, Form::Short) => 1,
        (Column::Type, _) => 5,
        (Column::Created | Column::Updated, Form::Full) => 11,
        (Column::Created | Column::Updated, Form::Short) => 4,
        (Column::Id, _) => 26,
        (Column::Group, _) => 14,
    }
}

/// The steps by which a pane too narrow for its columns makes room for the name, in order.
enum Step {
    /// A column goes.
    Drop(Column),
    /// Times become ages.
    Ages,
    /// Status becomes its symbol.
    Symbol,
    /// The last column but the name goes.
    DropLast,
}

const STEPS: [Step; 4] = [
    Step::Drop(Column::Id),
    Step::Ages,
    Step::Drop(Column::Group),
    Step::Symbol,
];

/// The columns of `wanted` that fit `width` cells (one cell between columns), the name's
/// width being what is left.
pub fn fit(wanted: &[Column], width: u16) -> Vec<Placed> {
    let mut placed: Vec<Placed> = wanted
        .iter()
        .map(|&column| Placed {
            column,
            form: Form::Full,
            width: width_of(column, Form::Full),
        })
        .collect();
    let mut steps = STEPS.iter().chain(std::iter::repeat(&Step::DropLast));
    while needed(&placed) > width && placed.len() > 1 {
        match steps.next().expect("repeats") {
            Step::Ages => shorten(&mut placed, |c| {
                matches!(c, Column::Created | Column::Updated)
            }),
            Step::Drop(column) => placed.retain(|p| p.column != *column),
            Step::Symbol => shorten(&mut placed, |c| c == Column::Status),
            Step::DropLast => {
                let last = placed.iter().rposition(|p| p.column != Column::Name);
                placed.remove(last.expect("a column besides the name"));
            }
        }
    }
    let others: u16 = placed
        .iter()
        .filter(|p| p.column != Column::Name)
        .map(|p| p.width + 1)
        .sum();
    if let Some(name) = placed.iter_mut().find(|p| p.column == Column::Name) {
        name.width = width.saturating_sub(others);
    }
    placed
}

/// Cells `placed` needs with the name at its least room.
fn needed(placed: &[Placed]) -> u16 {
    let gaps = u16::try_from(placed.len().saturating_sub(1)).unwrap_or(u16::MAX);
    placed.iter().map(|p| p.width).sum::<u16>() + gaps
}

fn shorten(placed: &mut [Placed], which: impl Fn(Column) -> bool) {
    for p in placed.iter_mut().filter(|p| which(p.column)) {
        p.form = Form::Short;
        p.width = width_of(p.column, Form::Short);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Column::*;

    const DEFAULT: [Column; 6] = [Status, Type, Name, Updated, Created, Id];

    fn shown(placed: &[Placed]) -> Vec<(Column, Form)> {
        placed.iter().map(|p| (p.column, p.form)).collect()
    }

    #[test]
    fn wide_panes_show_everything_whole() {
        let placed = fit(&DEFAULT, 120);
        assert!(placed.iter().all(|p| p.form == Form::Full));
        assert_eq!(placed.len(), 6);
        let total: u16 = placed.iter().map(|p| p.width).sum::<u16>() + 5;
        assert_eq!(total, 120, "the name takes what is left");
    }

    #[test]
    fn narrowing_shortens_times_then_status_then_drops_from_the_end() {
        // The assets pane's inside at 80 columns: times as ages, the id gone.
        let at_80 = fit(&DEFAULT, 54);
        assert_eq!(
            shown(&at_80),
            [
                (Status, Form::Full),
                (Type, Form::Full),
                (Name, Form::Full),
                (Updated, Form::Short),
                (Created, Form::Short),
            ]
        );
        let at_40 = fit(&DEFAULT, 38);
        assert_eq!(
            at_40[0],
            Placed {
                column: Status,
                form: Form::Short,
                width: 1
            }
        );
        let name = at_40.iter().find(|p| p.column == Name).unwrap();
        assert!(name.width >= NAME_ROOM, "{at_40:?}");
        assert_eq!(shown(&fit(&DEFAULT, 10)), [(Name, Form::Full)]);
    }

    #[test]
    fn the_name_keeps_its_room_at_every_width_and_the_order_is_kept() {
        for width in 0..200 {
            let placed = fit(&DEFAULT, width);
            let name = placed.iter().find(|p| p.column == Name).unwrap();
            assert!(
                placed.len() == 1 || name.width >= NAME_ROOM,
                "{width}: {placed:?}"
            );
            let order: Vec<usize> = placed
                .iter()
                .map(|p| DEFAULT.iter().position(|c| *c == p.column).unwrap())
                .collect();
            assert!(order.windows(2).all(|w| w[0] < w[1]), "{width}: {placed:?}");
            let total: u16 = placed.iter().map(|p| p.width).sum::<u16>();
            let gaps = placed.len() as u16 - 1;
            assert!(
                placed.len() == 1 || total + gaps == width,
                "{width}: {placed:?}"
            );
        }
    }
}
