//! The auxiliary vector's entries that describe the loaded program: where
//! its program headers are (`AT_PHDR`, `AT_PHENT`, `AT_PHNUM`), where it
//! starts (`AT_ENTRY`) and where the interpreter was loaded (`AT_BASE`, 0
//! without one). With an interpreter, the kernel starts the interpreter,
//! and these are how it finds the program it must run; so they always
//! describe the *program*, at its load address, never the interpreter.

use super::LoadPlan;
use crate::stack::auxv::{AT_BASE, AT_ENTRY, AT_PHDR, AT_PHENT, AT_PHNUM};

/// The program's entries: `program` is its placed plan, `interp_base` the
/// interpreter's load bias (`None` without an interpreter).
pub fn program_entries(program: &LoadPlan, interp_base: Option<u64>) -> [(u64, u64); 5] {
    [
        (AT_PHDR, program.phdr_vaddr),
        (AT_PHENT, u64::from(program.phentsize)),
        (AT_PHNUM, u64::from(program.phnum)),
        (AT_BASE, interp_base.unwrap_or(0)),
        (AT_ENTRY, program.entry),
    ]
}

#[cfg(test)]
mod tests {
    use super::super::placement::PIE_BASE;
    use super::super::plan;
    use super::super::test_image::*;
    use super::*;

    #[test]
    fn static_program() {
        let p = plan(&Image::typical().build()).unwrap();
        assert_eq!(
            program_entries(&p, None),
            [
                (AT_PHDR, TEXT + 64),
                (AT_PHENT, 56),
                (AT_PHNUM, 5),
                (AT_BASE, 0),
                (AT_ENTRY, TEXT + 0x100)
            ]
        );
    }

    #[test]
    fn pie_with_interpreter() {
        let p = plan(&Image::typical_pie().build()).unwrap();
        let placed = p.placed(p.bias_for(PIE_BASE)).unwrap();
        let base = 0x7eff_ff00_0000;
        assert_eq!(
            program_entries(&placed, Some(base)),
            [
                (AT_PHDR, PIE_BASE + 64),
                (AT_PHENT, 56),
                (AT_PHNUM, 5),
                (AT_BASE, base),
                (AT_ENTRY, PIE_BASE + 0x100)
            ]
        );
    }
}
