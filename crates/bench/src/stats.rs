//! Latency samples and percentiles.

#[derive(Default, Clone)]
pub struct Samples(pub Vec<f64>);

impl Samples {
    pub fn push(&mut self, ms: f64) {
        self.0.push(ms);
    }

    pub fn extend(&mut self, other: Samples) {
        self.0.extend(other.0);
    }

    /// The `q`-th percentile (nearest rank), in milliseconds; 0 with no samples.
    pub fn p(&self, q: f64) -> f64 {
        if self.0.is_empty() {
            return 0.0;
        }
        let mut v = self.0.clone();
        v.sort_by(|a, b| a.total_cmp(b));
        let rank = ((q / 100.0) * v.len() as f64).ceil() as usize;
        v[rank.clamp(1, v.len()) - 1]
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn percentiles_by_nearest_rank() {
        let s = super::Samples((1..=100).map(f64::from).collect());
        assert_eq!(s.p(50.0), 50.0);
        assert_eq!(s.p(99.0), 99.0);
        assert_eq!(s.p(100.0), 100.0);
        assert_eq!(super::Samples::default().p(99.0), 0.0);
    }
}
