//! The `rhapsody` command line: turns arguments into library calls.

fn main() {
    println!("rhapsody: under construction");
}
